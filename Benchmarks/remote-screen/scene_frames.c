// The kit's video scene's pictures (../shared/bench/scene_video.c), made the same way — the same
// 32 noisy frames from srand(7), each with its corner marker —, written as BGRX files
// OUT/frame-N.bgrx, so quality.py can compare what a viewer shows of the moving video with the
// very frame it shows.   usage: scene_frames W H OUT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int c, char **v) {
  if (c < 4) return 2;
  int W = atoi(v[1]), H = atoi(v[2]);
  enum { NF = 32 };
  static const unsigned cols[4] = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff};
  unsigned char *frame = malloc((size_t)W * H * 4);
  srand(7);
  for (int f = 0; f < NF; f++) {
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) {
        unsigned char *p = frame + ((size_t)y * W + x) * 4;
        double t = f * 0.15;
        int base = 128 + 70 * sin(x * 0.02 + t) + 50 * cos(y * 0.03 - t * 0.7);
        int n = (rand() & 15) - 8;
        p[0] = (base + n) & 255; p[1] = (base / 2 + x / 8 + n) & 255; p[2] = (255 - base + y / 8) & 255; p[3] = 0;
      }
    for (int y = 0; y < 32; y++)
      for (int x = 0; x < 32; x++) *(unsigned *)(frame + ((size_t)y * W + x) * 4) = cols[f & 3];
    char path[4096];
    snprintf(path, sizeof path, "%s/frame-%d.bgrx", v[3], f);
    FILE *out = fopen(path, "wb");
    if (!out || fwrite(frame, 4, (size_t)W * H, out) != (size_t)W * H) return 1;
    fclose(out);
  }
  return 0;
}
