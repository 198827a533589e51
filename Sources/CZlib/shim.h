// zlib (zlib1g-dev): lossless compression of few-colour screen tiles (text, flat UI).
#include <zlib.h>
