// X11 for the applet's screen capture and input (libx11-dev, libxext-dev, libxtst-dev,
// libxfixes-dev, libxdamage-dev).
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xdamage.h>
#include <sys/ipc.h>
#include <sys/shm.h>

// XDestroyImage is a macro Swift cannot see.
static inline int lifeline_destroy_image(XImage *image) { return XDestroyImage(image); }
// DefaultScreen / RootWindow / DisplayWidth are macros too.
static inline Window lifeline_root_window(Display *display) { return DefaultRootWindow(display); }
static inline int lifeline_display_width(Display *display) { return DisplayWidth(display, DefaultScreen(display)); }
static inline int lifeline_display_height(Display *display) { return DisplayHeight(display, DefaultScreen(display)); }
static inline Visual *lifeline_default_visual(Display *display) { return DefaultVisual(display, DefaultScreen(display)); }
static inline int lifeline_default_depth(Display *display) { return DefaultDepth(display, DefaultScreen(display)); }
