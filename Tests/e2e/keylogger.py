"""A key logger for the customer's X display: a window covering the screen, with the input focus,
printing `press <keysym name>` / `release <keysym name>` for every key event it receives. Used to
check that key combinations from the console arrive as real key presses (J9)."""
import ctypes
import ctypes.util
import sys

KEY_PRESS, KEY_RELEASE = 2, 3
KEY_PRESS_MASK, KEY_RELEASE_MASK, EXPOSURE_MASK = 1 << 0, 1 << 1, 1 << 15

xlib = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11"))
xlib.XOpenDisplay.restype = ctypes.c_void_p
xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
xlib.XDefaultRootWindow.restype = ctypes.c_ulong
xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
xlib.XCreateSimpleWindow.restype = ctypes.c_ulong
xlib.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulong]
xlib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
xlib.XMapRaised.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
xlib.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
xlib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
xlib.XLookupKeysym.restype = ctypes.c_ulong
xlib.XLookupKeysym.argtypes = [ctypes.c_void_p, ctypes.c_int]
xlib.XKeysymToString.restype = ctypes.c_char_p
xlib.XKeysymToString.argtypes = [ctypes.c_ulong]

display = xlib.XOpenDisplay(None)
if not display:
    sys.exit("cannot open the display")
window = xlib.XCreateSimpleWindow(display, xlib.XDefaultRootWindow(display), 0, 0, 1024, 768, 0, 0, 0x202020)
xlib.XSelectInput(display, window, KEY_PRESS_MASK | KEY_RELEASE_MASK | EXPOSURE_MASK)
xlib.XMapRaised(display, window)
xlib.XSync(display, 0)
event = ctypes.create_string_buffer(192)  # sizeof(XEvent)
focused = False
while True:
    xlib.XNextEvent(display, event)
    kind = ctypes.c_int.from_buffer(event).value
    if not focused:
        # Once mapped (its first Expose), the window takes the keyboard: 1 = RevertToPointerRoot.
        xlib.XSetInputFocus(display, window, 1, 0)
        xlib.XSync(display, 0)
        focused = True
        print("ready", flush=True)
    if kind in (KEY_PRESS, KEY_RELEASE):
        name = xlib.XKeysymToString(xlib.XLookupKeysym(event, 0))
        print(("press " if kind == KEY_PRESS else "release ") + (name.decode() if name else "?"), flush=True)
