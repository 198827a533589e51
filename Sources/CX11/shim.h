// X11 for the applet's screen capture and input (libx11-dev, libxext-dev, libxtst-dev,
// libxfixes-dev, libxdamage-dev, libxrandr-dev).
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xrandr.h>
#include <X11/extensions/shape.h>
#include <X11/Xatom.h>
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
static inline unsigned long lifeline_black_pixel(Display *display) { return BlackPixel(display, DefaultScreen(display)); }
// XSendEvent of a SelectionNotify, which Swift cannot build from the XEvent union easily.
static inline void lifeline_send_selection_notify(Display *display, XSelectionRequestEvent *request, Atom property) {
    XEvent reply;
    reply.xselection.type = SelectionNotify;
    reply.xselection.display = request->display;
    reply.xselection.requestor = request->requestor;
    reply.xselection.selection = request->selection;
    reply.xselection.target = request->target;
    reply.xselection.property = property;
    reply.xselection.time = request->time;
    XSendEvent(display, request->requestor, False, 0, &reply);
}
// Asks the window manager to keep a window above the others (EWMH _NET_WM_STATE_ABOVE), or not.
static inline void lifeline_keep_above(Display *display, Window window, int above) {
    XEvent message = {0};
    message.xclient.type = ClientMessage;
    message.xclient.window = window;
    message.xclient.message_type = XInternAtom(display, "_NET_WM_STATE", False);
    message.xclient.format = 32;
    message.xclient.data.l[0] = above ? 1 : 0;  // _NET_WM_STATE_ADD or _REMOVE
    message.xclient.data.l[1] = XInternAtom(display, "_NET_WM_STATE_ABOVE", False);
    message.xclient.data.l[3] = 1;  // from a normal application
    XSendEvent(display, DefaultRootWindow(display), False, SubstructureRedirectMask | SubstructureNotifyMask, &message);
    XFlush(display);
}
