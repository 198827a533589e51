// libsystemd's sd-bus types (libsystemd-dev) for the applet's services view (L3). The library
// itself is loaded with dlopen (SDBusLibrary), never linked: the one downloadable applet still
// starts on machines without libsystemd, and says they have no systemd.
#include <systemd/sd-bus.h>
