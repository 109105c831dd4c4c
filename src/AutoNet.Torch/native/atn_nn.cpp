// Neural-network functionals: convolutions, normalisation, activations, pooling, losses, recurrent cells.
#include "atn_common.h"

ATN_API ATNTensor ATNNN_conv2d(ATNTensor input, ATNTensor weight, ATNTensor bias, const int64_t* stride,
                               const int64_t* padding, const int64_t* dilation, int64_t groups) {
    return atn_new([&] {
        return at::conv2d(*input, *weight, atn_optional(bias), atn_ints(stride, 2), atn_ints(padding, 2),
                          atn_ints(dilation, 2), groups);
    });
}

ATN_API ATNTensor ATNNN_conv1d(ATNTensor input, ATNTensor weight, ATNTensor bias, int64_t stride, int64_t padding,
                               int64_t dilation, int64_t groups) {
    return atn_new([&] { return at::conv1d(*input, *weight, atn_optional(bias), stride, padding, dilation, groups); });
}

ATN_API ATNTensor ATNNN_linear(ATNTensor input, ATNTensor weight, ATNTensor bias) {
    return atn_new([&] { return at::linear(*input, *weight, atn_optional(bias)); });
}

// Updates running_mean/running_var in place when training, exactly as torch.nn.functional.batch_norm.
ATN_API ATNTensor ATNNN_batch_norm(ATNTensor input, ATNTensor weight, ATNTensor bias, ATNTensor running_mean,
                                   ATNTensor running_var, int32_t training, double momentum, double eps) {
    return atn_new([&] {
        return at::batch_norm(*input, atn_optional(weight), atn_optional(bias), atn_optional(running_mean),
                              atn_optional(running_var), training != 0, momentum, eps, at::globalContext().userEnabledCuDNN());
    });
}

ATN_API ATNTensor ATNNN_layer_norm(ATNTensor input, const int64_t* shape, int64_t n, ATNTensor weight, ATNTensor bias,
                                   double eps) {
    return atn_new([&] { return at::layer_norm(*input, atn_ints(shape, n), atn_optional(weight), atn_optional(bias), eps); });
}

ATN_API ATNTensor ATNNN_group_norm(ATNTensor input, int64_t groups, ATNTensor weight, ATNTensor bias, double eps) {
    return atn_new([&] { return at::group_norm(*input, groups, atn_optional(weight), atn_optional(bias), eps); });
}

// ---- activations ------------------------------------------------------------------------------
ATN_API ATNTensor ATNNN_relu(ATNTensor t) { return atn_new([&] { return at::relu(*t); }); }
ATN_API int32_t ATNNN_relu_(ATNTensor t) { return atn_do([&] { at::relu_(*t); }); }
ATN_API ATNTensor ATNNN_relu6(ATNTensor t) { return atn_new([&] { return at::hardtanh(*t, 0.0, 6.0); }); }
ATN_API int32_t ATNNN_relu6_(ATNTensor t) { return atn_do([&] { at::hardtanh_(*t, 0.0, 6.0); }); }
ATN_API ATNTensor ATNNN_leaky_relu(ATNTensor t, double slope) { return atn_new([&] { return at::leaky_relu(*t, slope); }); }
ATN_API ATNTensor ATNNN_gelu(ATNTensor t, int32_t tanh_approx) {
    return atn_new([&] { return at::gelu(*t, tanh_approx != 0 ? "tanh" : "none"); });
}
ATN_API ATNTensor ATNNN_silu(ATNTensor t) { return atn_new([&] { return at::silu(*t); }); }
ATN_API int32_t ATNNN_silu_(ATNTensor t) { return atn_do([&] { at::silu_(*t); }); }
ATN_API ATNTensor ATNNN_hardswish(ATNTensor t) { return atn_new([&] { return at::hardswish(*t); }); }
ATN_API int32_t ATNNN_hardswish_(ATNTensor t) { return atn_do([&] { at::hardswish_(*t); }); }
ATN_API ATNTensor ATNNN_hardsigmoid(ATNTensor t) { return atn_new([&] { return at::hardsigmoid(*t); }); }
ATN_API ATNTensor ATNNN_sigmoid(ATNTensor t) { return atn_new([&] { return at::sigmoid(*t); }); }
ATN_API int32_t ATNNN_sigmoid_(ATNTensor t) { return atn_do([&] { at::sigmoid_(*t); }); }
ATN_API ATNTensor ATNNN_tanh(ATNTensor t) { return atn_new([&] { return at::tanh(*t); }); }
ATN_API int32_t ATNNN_tanh_(ATNTensor t) { return atn_do([&] { at::tanh_(*t); }); }
ATN_API ATNTensor ATNNN_softmax(ATNTensor t, int64_t dim) { return atn_new([&] { return at::softmax(*t, dim); }); }
ATN_API ATNTensor ATNNN_log_softmax(ATNTensor t, int64_t dim) { return atn_new([&] { return at::log_softmax(*t, dim); }); }

// ---- pooling ----------------------------------------------------------------------------------
ATN_API ATNTensor ATNNN_max_pool2d(ATNTensor t, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                   const int64_t* dilation, int32_t ceil_mode) {
    return atn_new([&] {
        return at::max_pool2d(*t, atn_ints(kernel, 2), atn_ints(stride, 2), atn_ints(padding, 2), atn_ints(dilation, 2),
                              ceil_mode != 0);
    });
}

ATN_API ATNTensor ATNNN_avg_pool2d(ATNTensor t, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                   int32_t ceil_mode, int32_t count_include_pad) {
    return atn_new([&] {
        return at::avg_pool2d(*t, atn_ints(kernel, 2), atn_ints(stride, 2), atn_ints(padding, 2), ceil_mode != 0,
                              count_include_pad != 0);
    });
}

ATN_API ATNTensor ATNNN_adaptive_avg_pool2d(ATNTensor t, const int64_t* output_size) {
    return atn_new([&] { return at::adaptive_avg_pool2d(*t, atn_ints(output_size, 2)); });
}

ATN_API ATNTensor ATNNN_adaptive_max_pool2d(ATNTensor t, const int64_t* output_size) {
    return atn_new([&] { return std::get<0>(at::adaptive_max_pool2d(*t, atn_ints(output_size, 2))); });
}

// ---- regularisation ---------------------------------------------------------------------------
ATN_API ATNTensor ATNNN_dropout(ATNTensor t, double p, int32_t training) {
    return atn_new([&] { return at::dropout(*t, p, training != 0); });
}

ATN_API ATNTensor ATNNN_dropout2d(ATNTensor t, double p, int32_t training) {
    return atn_new([&] { return at::feature_dropout(*t, p, training != 0); });
}

// Drop-path (stochastic depth): zeroes whole samples and rescales the survivors, as timm's drop_path.
ATN_API ATNTensor ATNNN_drop_path(ATNTensor t, double p, int32_t training) {
    return atn_new([&] {
        if (training == 0 || p <= 0.0) return *t;
        if (p >= 1.0) throw std::invalid_argument("drop_path probability must be below 1, got " + std::to_string(p));
        std::vector<int64_t> shape(static_cast<size_t>(t->dim()), 1);
        shape[0] = t->size(0);
        auto keep = at::empty(shape, t->options()).bernoulli_(1.0 - p);
        return *t * keep.div_(1.0 - p);
    });
}

// ---- resampling -------------------------------------------------------------------------------
// mode: 0 nearest, 1 bilinear, 2 bicubic. antialias only applies to (bi)linear/bicubic downsampling.
ATN_API ATNTensor ATNNN_interpolate(ATNTensor t, const int64_t* size, int32_t mode, int32_t align_corners, int32_t antialias) {
    return atn_new([&] {
        auto out = atn_ints(size, 2);
        switch (mode) {
            case 0: return at::upsample_nearest2d(*t, out);
            case 1:
                return antialias != 0 ? at::_upsample_bilinear2d_aa(*t, out, align_corners != 0)
                                      : at::upsample_bilinear2d(*t, out, align_corners != 0);
            case 2:
                return antialias != 0 ? at::_upsample_bicubic2d_aa(*t, out, align_corners != 0)
                                      : at::upsample_bicubic2d(*t, out, align_corners != 0);
            default: throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
        }
    });
}

// ---- losses (reduction: 0 none, 1 mean, 2 sum) ------------------------------------------------
ATN_API ATNTensor ATNNN_cross_entropy(ATNTensor input, ATNTensor target, ATNTensor weight, int32_t reduction,
                                      int64_t ignore_index, double label_smoothing) {
    return atn_new([&] {
        return at::cross_entropy_loss(*input, *target, atn_optional(weight), reduction, ignore_index, label_smoothing);
    });
}

ATN_API ATNTensor ATNNN_nll_loss(ATNTensor input, ATNTensor target, ATNTensor weight, int32_t reduction, int64_t ignore_index) {
    return atn_new([&] { return at::nll_loss(*input, *target, atn_optional(weight), reduction, ignore_index); });
}

ATN_API ATNTensor ATNNN_mse_loss(ATNTensor input, ATNTensor target, int32_t reduction) {
    return atn_new([&] { return at::mse_loss(*input, *target, reduction); });
}

ATN_API ATNTensor ATNNN_binary_cross_entropy_with_logits(ATNTensor input, ATNTensor target, ATNTensor weight, int32_t reduction) {
    return atn_new([&] {
        return at::binary_cross_entropy_with_logits(*input, *target, atn_optional(weight), c10::nullopt, reduction);
    });
}

// ---- recurrent and lookup ---------------------------------------------------------------------
// One LSTM step: returns the new hidden and cell state (torch.nn.LSTMCell).
ATN_API int32_t ATNNN_lstm_cell(ATNTensor input, ATNTensor h, ATNTensor c, ATNTensor w_ih, ATNTensor w_hh, ATNTensor b_ih,
                                ATNTensor b_hh, ATNTensor* h_out, ATNTensor* c_out) {
    return atn_do([&] {
        auto result = at::lstm_cell(*input, {*h, *c}, *w_ih, *w_hh, atn_optional(b_ih), atn_optional(b_hh));
        *h_out = new at::Tensor(std::get<0>(result));
        *c_out = new at::Tensor(std::get<1>(result));
    });
}

ATN_API ATNTensor ATNNN_embedding(ATNTensor weight, ATNTensor indices, int64_t padding_idx) {
    return atn_new([&] { return at::embedding(*weight, *indices, padding_idx); });
}
