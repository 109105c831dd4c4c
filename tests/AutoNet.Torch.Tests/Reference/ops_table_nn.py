"""PyTorch's definition of each case in Parity/FunctionalCases.cs and Parity/LossCases.cs, keyed by the same name."""
import torch
import torch.nn.functional as F


def drop_path(x, p, training):
    """timm's drop_path (stochastic depth), the reference for AutoNet's DropPath."""
    if not training or p == 0.0:
        return x
    keep = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(1.0 - p)
    return x * keep.div_(1.0 - p)


def bn(t, training, momentum=0.1, eps=1e-5, stats=True):
    y = F.batch_norm(t["x"], t["rm"] if stats else None, t["rv"] if stats else None, t.get("w"), t.get("b"),
                     training=training, momentum=momentum, eps=eps)
    return [y, t["rm"], t["rv"]] if stats else y


def cl(x):
    return x.contiguous(memory_format=torch.channels_last)


def lstm(t, bias=True):
    return torch._VF.lstm_cell(t["x"], (t["h"], t["c"]), t["wih"], t["whh"], t.get("bih") if bias else None,
                               t.get("bhh") if bias else None)


OPS = {
    # convolution and linear
    "conv2d_bias": lambda t: F.conv2d(t["x"], t["w"], t["b"]),
    "conv2d_no_bias": lambda t: F.conv2d(t["x"], t["w"]),
    "conv2d_stride2_padding1": lambda t: F.conv2d(t["x"], t["w"], t["b"], stride=2, padding=1),
    "conv2d_asymmetric_stride_padding": lambda t: F.conv2d(t["x"], t["w"], t["b"], stride=(1, 2), padding=(2, 0)),
    "conv2d_dilation2": lambda t: F.conv2d(t["x"], t["w"], t["b"], padding=2, dilation=2),
    "conv2d_groups2": lambda t: F.conv2d(t["x"], t["w"], t["b"], padding=1, groups=2),
    "conv2d_depthwise": lambda t: F.conv2d(t["x"], t["w"], None, stride=2, padding=1, groups=4),
    "conv2d_depthwise_multiplier2": lambda t: F.conv2d(t["x"], t["w"], t["b"], padding=2, groups=4),
    "conv2d_pointwise_channels_last": lambda t: F.conv2d(t["x"].contiguous(memory_format=torch.channels_last), t["w"], t["b"]),
    "conv1d": lambda t: F.conv1d(t["x"], t["w"], t["b"], stride=2, padding=1, dilation=1, groups=2),
    "linear_bias": lambda t: F.linear(t["x"], t["w"], t["b"]),
    "linear_no_bias_3d": lambda t: F.linear(t["x"], t["w"]),
    # normalisation
    "batch_norm_train_affine_updates_running_stats": lambda t: bn(t, True),
    "batch_norm_train_not_affine_momentum_0_3": lambda t: bn(t, True, momentum=0.3, eps=1e-3),
    "batch_norm_train_without_running_stats": lambda t: bn(t, True, stats=False),
    "batch_norm_eval_affine": lambda t: bn(t, False),
    "batch_norm_eval_not_affine": lambda t: bn(t, False)[0],
    "batch_norm_1d_train": lambda t: bn(t, True)[0],
    "layer_norm_affine": lambda t: F.layer_norm(t["x"], [4, 5], t["w"], t["b"]),
    "layer_norm_not_affine": lambda t: F.layer_norm(t["x"], [6], eps=1e-3),
    "group_norm_affine": lambda t: F.group_norm(t["x"], 3, t["w"], t["b"]),
    "group_norm_not_affine": lambda t: F.group_norm(t["x"], 2, eps=1e-3),
    # activations
    "relu": lambda t: F.relu(t["x"]),
    "relu_inplace": lambda t: F.relu_(t["x"].mul(1.0)),
    "relu6": lambda t: F.relu6(t["x"]),
    "relu6_inplace": lambda t: F.relu6(t["x"].mul(1.0), inplace=True),
    "leaky_relu": lambda t: F.leaky_relu(t["x"]),
    "leaky_relu_slope_0_2": lambda t: F.leaky_relu(t["x"], 0.2),
    "gelu_exact": lambda t: F.gelu(t["x"]),
    "gelu_tanh": lambda t: F.gelu(t["x"], approximate="tanh"),
    "silu": lambda t: F.silu(t["x"]),
    "silu_inplace": lambda t: F.silu(t["x"].mul(1.0), inplace=True),
    "hardswish": lambda t: F.hardswish(t["x"]),
    "hardswish_inplace": lambda t: F.hardswish(t["x"].mul(1.0), inplace=True),
    "hardsigmoid": lambda t: F.hardsigmoid(t["x"]),
    "sigmoid": lambda t: torch.sigmoid(t["x"]),
    "sigmoid_inplace": lambda t: t["x"].mul(1.0).sigmoid_(),
    "tanh": lambda t: torch.tanh(t["x"]),
    "tanh_inplace": lambda t: t["x"].mul(1.0).tanh_(),
    "softmax_dim1": lambda t: F.softmax(t["x"], 1),
    "log_softmax_last": lambda t: F.log_softmax(t["x"], -1),
    # pooling
    "max_pool2d_2x2": lambda t: F.max_pool2d(t["x"], 2),
    "max_pool2d_3x3_stride2_padding1": lambda t: F.max_pool2d(t["x"], 3, 2, 1),
    "max_pool2d_ceil_mode": lambda t: F.max_pool2d(t["x"], 2, ceil_mode=True),
    "max_pool2d_dilation": lambda t: F.max_pool2d(t["x"], 2, 1, 1, dilation=2),
    "avg_pool2d_2x2": lambda t: F.avg_pool2d(t["x"], 2),
    "avg_pool2d_padding_count_include_pad": lambda t: F.avg_pool2d(t["x"], 3, 1, 1),
    "avg_pool2d_padding_exclude_pad": lambda t: F.avg_pool2d(t["x"], 3, 1, 1, count_include_pad=False),
    "avg_pool2d_ceil_mode": lambda t: F.avg_pool2d(t["x"], 3, 2, 1, ceil_mode=True),
    "adaptive_avg_pool2d_uneven": lambda t: F.adaptive_avg_pool2d(t["x"], (4, 3)),
    "adaptive_avg_pool2d_global": lambda t: F.adaptive_avg_pool2d(t["x"], 1),
    "adaptive_max_pool2d_uneven": lambda t: F.adaptive_max_pool2d(t["x"], (4, 3)),
    # regularisation
    "dropout_p0_train_is_identity": lambda t: F.dropout(t["x"], 0.0, training=True),
    "dropout_eval_is_identity": lambda t: F.dropout(t["x"], 0.5, training=False),
    "dropout_train_seeded": lambda t: F.dropout(t["x"], 0.3, training=True),
    "dropout2d_train_seeded": lambda t: F.dropout2d(t["x"], 0.5, training=True),
    "dropout2d_eval_is_identity": lambda t: F.dropout2d(t["x"], 0.5, training=False),
    "drop_path_train_seeded": lambda t: drop_path(t["x"], 0.4, True),
    "drop_path_eval_is_identity": lambda t: drop_path(t["x"], 0.4, False),
    # padding
    "pad_constant_value": lambda t: F.pad(t["x"], (1, 2, 0, 3), value=1.5),
    "pad_constant_last_dim_only": lambda t: F.pad(t["x"], (3, 1)),
    "pad_reflect": lambda t: F.pad(t["x"], (1, 2, 3, 1), mode="reflect"),
    "pad_replicate": lambda t: F.pad(t["x"], (1, 2, 3, 1), mode="replicate"),
    "pad_circular": lambda t: F.pad(t["x"], (1, 2, 3, 1), mode="circular"),
    # interpolation
    "interpolate_nearest_up": lambda t: F.interpolate(t["x"], (10, 9)),
    "interpolate_nearest_down": lambda t: F.interpolate(t["x"], (4, 3)),
    "interpolate_bilinear_up": lambda t: F.interpolate(t["x"], (11, 13), mode="bilinear"),
    "interpolate_bilinear_up_align_corners": lambda t: F.interpolate(t["x"], (11, 13), mode="bilinear", align_corners=True),
    "interpolate_bilinear_down": lambda t: F.interpolate(t["x"], (4, 3), mode="bilinear"),
    "interpolate_bilinear_down_antialias": lambda t: F.interpolate(t["x"], (4, 3), mode="bilinear", antialias=True),
    "interpolate_bilinear_down_antialias_align_corners":
        lambda t: F.interpolate(t["x"], (4, 3), mode="bilinear", align_corners=True, antialias=True),
    "interpolate_bilinear_up_antialias": lambda t: F.interpolate(t["x"], (11, 13), mode="bilinear", antialias=True),
    "interpolate_bicubic_up": lambda t: F.interpolate(t["x"], (11, 13), mode="bicubic"),
    "interpolate_bicubic_down_antialias": lambda t: F.interpolate(t["x"], (4, 3), mode="bicubic", antialias=True),
    # recurrent and lookup
    "lstm_cell": lambda t: lstm(t),
    "lstm_cell_no_bias": lambda t: lstm(t, bias=False),
    "embedding": lambda t: F.embedding(t["i"], t["w"]),
    "embedding_padding_idx": lambda t: F.embedding(t["i"], t["w"], padding_idx=3),
    # channels_last inputs (sent contiguous, made channels_last again here) and float64
    "channels_last_conv2d_3x3": lambda t: F.conv2d(cl(t["x"]), t["w"], t["b"], padding=1),
    "channels_last_depthwise_conv2d": lambda t: F.conv2d(cl(t["x"]), t["w"], None, stride=2, padding=1, groups=4),
    "channels_last_batch_norm_train": lambda t: [F.batch_norm(cl(t["x"]), t["rm"], t["rv"], t["w"], t["b"], training=True), t["rm"], t["rv"]],
    "channels_last_max_pool2d": lambda t: F.max_pool2d(cl(t["x"]), 3, 2, 1),
    "channels_last_avg_pool2d": lambda t: F.avg_pool2d(cl(t["x"]), 2),
    "channels_last_adaptive_avg_pool2d": lambda t: F.adaptive_avg_pool2d(cl(t["x"]), 1),
    "channels_last_interpolate_bilinear": lambda t: F.interpolate(cl(t["x"]), (16, 12), mode="bilinear"),
    "channels_last_relu_add": lambda t: F.relu(cl(t["x"])) + cl(t["x"]),
    "float64_conv2d": lambda t: F.conv2d(t["x"], t["w"], None, stride=2),
    "float64_log_softmax": lambda t: F.log_softmax(t["x"], 1),
    "float64_layer_norm": lambda t: F.layer_norm(t["x"], [7]),
    # errors
    "error_conv2d_channel_mismatch": lambda t: F.conv2d(t["x"], t["w"]),
    "error_conv2d_kernel_larger_than_input": lambda t: F.conv2d(t["x"], t["w"]),
    "error_embedding_index_out_of_range": lambda t: F.embedding(t["i"], t["w"]),
    # losses (Parity/LossCases.cs)
    "cross_entropy_mean": lambda t: F.cross_entropy(t["x"], t["y"]),
    "cross_entropy_sum": lambda t: F.cross_entropy(t["x"], t["y"], reduction="sum"),
    "cross_entropy_none": lambda t: F.cross_entropy(t["x"], t["y"], reduction="none"),
    "cross_entropy_class_weights": lambda t: F.cross_entropy(t["x"], t["y"], t["w"]),
    "cross_entropy_class_weights_sum": lambda t: F.cross_entropy(t["x"], t["y"], t["w"], reduction="sum"),
    "cross_entropy_label_smoothing": lambda t: F.cross_entropy(t["x"], t["y"], label_smoothing=0.1),
    "cross_entropy_label_smoothing_none": lambda t: F.cross_entropy(t["x"], t["y"], reduction="none", label_smoothing=0.2),
    "cross_entropy_weights_and_label_smoothing": lambda t: F.cross_entropy(t["x"], t["y"], t["w"], label_smoothing=0.15),
    "cross_entropy_ignore_index": lambda t: F.cross_entropy(t["x"], t["y"], ignore_index=3),
    "cross_entropy_ignore_index_none": lambda t: F.cross_entropy(t["x"], t["y"], reduction="none", ignore_index=3),
    "cross_entropy_ignore_index_weights_smoothing":
        lambda t: F.cross_entropy(t["x"], t["y"], t["w"], ignore_index=3, label_smoothing=0.1),
    "cross_entropy_spatial": lambda t: F.cross_entropy(t["x"], t["y"]),
    "cross_entropy_probability_targets": lambda t: F.cross_entropy(t["x"], t["y"], label_smoothing=0.1),
    "nll_loss_mean": lambda t: F.nll_loss(t["x"], t["y"]),
    "nll_loss_weights_sum": lambda t: F.nll_loss(t["x"], t["y"], t["w"], reduction="sum"),
    "nll_loss_weights_ignore_index_mean": lambda t: F.nll_loss(t["x"], t["y"], t["w"], ignore_index=3),
    "nll_loss_none": lambda t: F.nll_loss(t["x"], t["y"], reduction="none"),
    "mse_loss_mean": lambda t: F.mse_loss(t["x"], t["y"]),
    "mse_loss_sum": lambda t: F.mse_loss(t["x"], t["y"], reduction="sum"),
    "mse_loss_none": lambda t: F.mse_loss(t["x"], t["y"], reduction="none"),
    "bce_with_logits_mean": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"]),
    "bce_with_logits_sum": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], reduction="sum"),
    "bce_with_logits_none": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], reduction="none"),
    "bce_with_logits_weight": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], t["w"]),
    "bce_with_logits_large_logits": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"]),
    "error_cross_entropy_int32_target": lambda t: F.cross_entropy(t["x"], t["y"]),
    "error_cross_entropy_target_out_of_range": lambda t: F.cross_entropy(t["x"], t["y"]),
    "error_cross_entropy_batch_mismatch": lambda t: F.cross_entropy(t["x"], t["y"]),
    "error_mse_loss_shape_mismatch": lambda t: F.mse_loss(t["x"], t["y"]),
}
