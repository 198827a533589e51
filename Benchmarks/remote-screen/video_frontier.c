// How good VP8 can make the kit's noisy video at a given number of bytes (issue 23), with the
// applet's own encoder settings (Sources/CVPX/shim.h): the 32 frames scene_frames writes, three
// times over, converted and scaled as the applet does (libyuv), encoded in real time on one thread
// at a constant bit rate (or a fixed quantizer), decoded, turned back to BGRX and scaled up as the
// console does; the frames shown are written to OUT for ffmpeg's SSIM against the source.
//   usage: video_frontier SRC_W SRC_H VIDEO_W VIDEO_H KILOBITS FRAME_DIR OUT [QUANTIZER]
// Prints the bytes a second at 30 frames a second and the time to encode a frame.
#include "../../Sources/CVPX/shim.h"
#include <libyuv/scale_argb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 8) return 2;
  int sw = atoi(argv[1]), sh = atoi(argv[2]), w = atoi(argv[3]), h = atoi(argv[4]), kilobits = atoi(argv[5]);
  FILE *out = fopen(argv[7], "wb");
  vpx_codec_ctx_t encoder, decoder;
  if (!out || lifeline_vp8_realtime_encoder_init(&encoder, w, h, kilobits, 1) != VPX_CODEC_OK) return 1;
  if (argc > 8) {
    vpx_codec_enc_cfg_t config = *encoder.config.enc;
    config.rc_min_quantizer = config.rc_max_quantizer = atoi(argv[8]);
    vpx_codec_enc_config_set(&encoder, &config);
  }
  lifeline_vp8_decoder_init(&decoder);
  vpx_image_t full, picture;
  vpx_img_alloc(&full, VPX_IMG_FMT_I420, sw, sh, 16);
  vpx_img_alloc(&picture, VPX_IMG_FMT_I420, w, h, 16);
  unsigned char *source = malloc((size_t)sw * sh * 4), *shown = malloc((size_t)w * h * 4), *scaled = malloc((size_t)sw * sh * 4);
  static unsigned char frame[8 << 20];
  size_t bytes = 0;
  double encoding = 0;
  int count = 0;
  for (int round = 0; round < 3; round++)
    for (int index = 0; index < 32; index++, count++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/frame-%d.bgrx", argv[6], index);
      FILE *in = fopen(path, "rb");
      if (!in || fread(source, 4, (size_t)sw * sh, in) != (size_t)sw * sh) return 1;
      fclose(in);
      double began = seconds();
      vpx_image_t *target = (w == sw && h == sh) ? &picture : &full;
      ARGBToI420(source, sw * 4, target->planes[0], target->stride[0], target->planes[1], target->stride[1], target->planes[2],
                 target->stride[2], sw, sh);
      if (target == &full)
        I420Scale(full.planes[0], full.stride[0], full.planes[1], full.stride[1], full.planes[2], full.stride[2], sw, sh,
                  picture.planes[0], picture.stride[0], picture.planes[1], picture.stride[1], picture.planes[2], picture.stride[2], w, h,
                  kFilterBilinear);
      if (vpx_codec_encode(&encoder, &picture, count * 33, 33, count == 0 ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME)) return 1;
      size_t size = 0;
      vpx_codec_iter_t packets = NULL;
      const vpx_codec_cx_pkt_t *packet;
      while ((packet = vpx_codec_get_cx_data(&encoder, &packets)))
        if (packet->kind == VPX_CODEC_CX_FRAME_PKT) {
          memcpy(frame + size, packet->data.frame.buf, packet->data.frame.sz);
          size += packet->data.frame.sz;
        }
      encoding += seconds() - began;
      bytes += size;
      vpx_codec_iter_t frames = NULL;
      if (vpx_codec_decode(&decoder, frame, size, NULL, 0)) return 1;
      vpx_image_t *decoded = vpx_codec_get_frame(&decoder, &frames);
      I420ToARGB(decoded->planes[0], decoded->stride[0], decoded->planes[1], decoded->stride[1], decoded->planes[2], decoded->stride[2],
                 shown, w * 4, w, h);
      if (w != sw || h != sh) ARGBScale(shown, w * 4, w, h, scaled, sw * 4, sw, sh, kFilterBilinear);
      fwrite(w != sw || h != sh ? scaled : shown, 4, (size_t)sw * sh, out);
    }
  fclose(out);
  printf("%.0f kB/s at 30 fps, %.1f ms to encode a frame", bytes / (count / 30.0) / 1000, encoding / count * 1000);
  return 0;
}
