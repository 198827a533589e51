// libvpx's VP8 decoder and encoder (libvpx-dev) and libyuv's colour conversion (libyuv-dev): the
// technician's screen arrives at the customer's applet as video (H1), and the moving parts of the
// customer's screen leave it as video (issue 23).
#include <vpx/vpx_decoder.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vp8cx.h>
#include <libyuv/convert_argb.h>
#include <libyuv/convert_from_argb.h>
#include <libyuv/scale.h>

// vpx_codec_dec_init and vpx_codec_enc_config_default's ABI checks are macros Swift cannot call.
static inline vpx_codec_err_t lifeline_vp8_decoder_init(vpx_codec_ctx_t *context) {
    return vpx_codec_dec_init(context, vpx_codec_vp8_dx(), NULL, 0);
}

// The tests' encoder: they make real VP8 frames to feed the decoder.
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

// The customer's moving regions (issue 23): real-time, constant bit rate over a short buffer so a
// frame never waits behind a burst, no frames held back (lag 0), no key frame but those asked for.
static inline vpx_codec_err_t lifeline_vp8_realtime_encoder_init(vpx_codec_ctx_t *context, unsigned int width,
                                                                 unsigned int height, unsigned int kilobits,
                                                                 unsigned int threads) {
    vpx_codec_enc_cfg_t config;
    vpx_codec_err_t result = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0);
    if (result != VPX_CODEC_OK) return result;
    config.g_w = width;
    config.g_h = height;
    config.g_timebase.num = 1;
    config.g_timebase.den = 1000;
    config.g_threads = threads;
    config.g_lag_in_frames = 0;
    config.g_error_resilient = 0;
    config.rc_end_usage = VPX_CBR;
    config.rc_target_bitrate = kilobits;
    config.rc_min_quantizer = 4;
    config.rc_max_quantizer = 56;
    config.rc_undershoot_pct = 100;
    config.rc_overshoot_pct = 15;
    config.rc_buf_initial_sz = 500;
    config.rc_buf_optimal_sz = 600;
    config.rc_buf_sz = 1000;
    config.rc_dropframe_thresh = 0;
    config.kf_mode = VPX_KF_DISABLED;
    result = vpx_codec_enc_init(context, vpx_codec_vp8_cx(), &config, 0);
    if (result != VPX_CODEC_OK) return result;
    // The fastest real-time setting (measured: 10 ms for a 1080p frame on two threads, 15 on one),
    // and one token partition per thread.
    vpx_codec_control(context, VP8E_SET_CPUUSED, -12);
    vpx_codec_control(context, VP8E_SET_TOKEN_PARTITIONS, threads > 1 ? VP8_TWO_TOKENPARTITION : VP8_ONE_TOKENPARTITION);
    return VPX_CODEC_OK;
}
