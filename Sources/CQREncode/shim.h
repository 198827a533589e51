// libqrencode (libqrencode-dev): the QR code of two-step verification enrolment.
#include <qrencode.h>
