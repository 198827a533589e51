// libvpx's VP8 decoder (libvpx-dev) and libyuv's colour conversion (libyuv-dev): the technician's
// screen arrives at the customer's applet as video (H1).
#include <vpx/vpx_decoder.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vp8cx.h>
#include <libyuv/convert_argb.h>
#include <libyuv/convert_from_argb.h>

// vpx_codec_dec_init and vpx_codec_enc_config_default's ABI checks are macros Swift cannot call.
static inline vpx_codec_err_t lifeline_vp8_decoder_init(vpx_codec_ctx_t *context) {
    return vpx_codec_dec_init(context, vpx_codec_vp8_dx(), NULL, 0);
}

// The encoder serves the tests only: they make real VP8 frames to feed the decoder.
static inline vpx_codec_err_t lifeline_vp8_encoder_init(vpx_codec_ctx_t *context, unsigned int width, unsigned int height) {
    vpx_codec_enc_cfg_t config;
    vpx_codec_err_t result = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0);
    if (result != VPX_CODEC_OK) return result;
    config.g_w = width;
    config.g_h = height;
    config.rc_target_bitrate = 4000;
    config.g_lag_in_frames = 0;
    return vpx_codec_enc_init(context, vpx_codec_vp8_cx(), &config, 0);
}
