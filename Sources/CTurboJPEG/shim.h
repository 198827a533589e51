// libjpeg-turbo's TurboJPEG API (libturbojpeg0-dev): screen tiles for the remote desktop.
#include <turbojpeg.h>
