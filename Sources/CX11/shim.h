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
#include <string.h>

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
// Asks the window manager to add or remove an EWMH state (_NET_WM_STATE_ABOVE, _FULLSCREEN …) of a window.
static inline void lifeline_change_wm_state(Display *display, Window window, int add, const char *state) {
    XEvent message = {0};
    message.xclient.type = ClientMessage;
    message.xclient.window = window;
    message.xclient.message_type = XInternAtom(display, "_NET_WM_STATE", False);
    message.xclient.format = 32;
    message.xclient.data.l[0] = add ? 1 : 0;  // _NET_WM_STATE_ADD or _REMOVE
    message.xclient.data.l[1] = XInternAtom(display, state, False);
    message.xclient.data.l[3] = 1;  // from a normal application
    XSendEvent(display, DefaultRootWindow(display), False, SubstructureRedirectMask | SubstructureNotifyMask, &message);
    XFlush(display);
}
// Keeps a window above the others, or not.
static inline void lifeline_keep_above(Display *display, Window window, int above) {
    lifeline_change_wm_state(display, window, above, "_NET_WM_STATE_ABOVE");
}
// Shows a window full screen, or not.
static inline void lifeline_set_fullscreen(Display *display, Window window, int on) {
    lifeline_change_wm_state(display, window, on, "_NET_WM_STATE_FULLSCREEN");
}
// The window's title in UTF-8 (_NET_WM_NAME, and WM_NAME as well as the locale allows) and its class.
static inline void lifeline_set_window_title(Display *display, Window window, const char *title, const char *class_name) {
    Xutf8SetWMProperties(display, window, title, title, NULL, 0, NULL, NULL, NULL);
    XChangeProperty(display, window, XInternAtom(display, "_NET_WM_NAME", False), XInternAtom(display, "UTF8_STRING", False), 8,
                    PropModeReplace, (const unsigned char *)title, (int)strlen(title));
    XClassHint hint = { (char *)class_name, (char *)class_name };
    XSetClassHint(display, window, &hint);
}
