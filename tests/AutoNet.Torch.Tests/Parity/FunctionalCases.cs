using AutoNet.Torch.NN;
using F = AutoNet.Torch.NN.Functional;

namespace AutoNet.Torch.Tests.Parity;

/// <summary>torch.nn.functional layers, activations, pooling, resampling and regularisation; see ops_table_nn.py.</summary>
public static class FunctionalCases
{
    private static readonly long[] X = { 2, 4, 9, 9 };

    public static IReadOnlyList<ParityCase> All { get; } = Build();

    private static ParityCase C(string name, Action<CaseInputs> build, Func<CaseInputs, Tensor> forward) =>
        new(name, build, t => new[] { forward(t) });

    private static ParityCase Cs(string name, Action<CaseInputs> build, Func<CaseInputs, Tensor[]> forward) => new(name, build, forward);

    private static Action<CaseInputs> A(params long[] shape) => c => c.Randn("x", shape);

    private static Action<CaseInputs> Conv(long[] w, bool bias = true) => c =>
    {
        c.Randn("x", X).Randn("w", w);
        if (bias)
        {
            c.Randn("b", w[0]);
        }
    };

    private static Tensor Rd(params long[] shape) => Torch.Rand(shape);

    private static List<ParityCase> Build()
    {
        var l = new List<ParityCase>();

        // ---- convolution and linear --------------------------------------------------------------
        l.Add(C("conv2d_bias", Conv(new long[] { 6, 4, 3, 3 }), t => F.Conv2d(t["x"], t["w"], t["b"])));
        l.Add(C("conv2d_no_bias", Conv(new long[] { 6, 4, 3, 3 }, bias: false), t => F.Conv2d(t["x"], t["w"])));
        l.Add(C("conv2d_stride2_padding1", Conv(new long[] { 6, 4, 3, 3 }), t => F.Conv2d(t["x"], t["w"], t["b"], stride: (2, 2), padding: (1, 1))));
        l.Add(C("conv2d_asymmetric_stride_padding", Conv(new long[] { 6, 4, 3, 5 }), t => F.Conv2d(t["x"], t["w"], t["b"], stride: (1, 2), padding: (2, 0))));
        l.Add(C("conv2d_dilation2", Conv(new long[] { 6, 4, 3, 3 }), t => F.Conv2d(t["x"], t["w"], t["b"], padding: (2, 2), dilation: (2, 2))));
        l.Add(C("conv2d_groups2", Conv(new long[] { 6, 2, 3, 3 }), t => F.Conv2d(t["x"], t["w"], t["b"], padding: (1, 1), groups: 2)));
        l.Add(C("conv2d_depthwise", Conv(new long[] { 4, 1, 3, 3 }, bias: false), t => F.Conv2d(t["x"], t["w"], null, stride: (2, 2), padding: (1, 1), groups: 4)));
        l.Add(C("conv2d_depthwise_multiplier2", Conv(new long[] { 8, 1, 5, 5 }), t => F.Conv2d(t["x"], t["w"], t["b"], padding: (2, 2), groups: 4)));
        l.Add(C("conv2d_pointwise_channels_last", c => c.Leaf("x", Torch.Randn(X).Contiguous(MemoryFormat.ChannelsLast)).Randn("w", 5, 4, 1, 1).Randn("b", 5),
            t => F.Conv2d(t["x"], t["w"], t["b"])) with { CompareStrides = true });
        l.Add(C("conv1d", c => c.Randn("x", 2, 4, 11).Randn("w", 6, 2, 3).Randn("b", 6), t => F.Conv1d(t["x"], t["w"], t["b"], stride: 2, padding: 1, dilation: 1, groups: 2)));
        l.Add(C("linear_bias", c => c.Randn("x", 5, 7).Randn("w", 3, 7).Randn("b", 3), t => F.Linear(t["x"], t["w"], t["b"])));
        l.Add(C("linear_no_bias_3d", c => c.Randn("x", 2, 5, 7).Randn("w", 3, 7), t => F.Linear(t["x"], t["w"])));

        // ---- normalisation -----------------------------------------------------------------------
        Action<CaseInputs> bn(bool affine) => c =>
        {
            c.Randn("x", 4, 3, 5, 5).Const("rm", Torch.Randn(new long[] { 3 }).Mul(0.1)).Const("rv", Torch.Rand(new long[] { 3 }).Add(0.5));
            if (affine)
            {
                c.Randn("w", 3).Randn("b", 3);
            }
        };
        l.Add(Cs("batch_norm_train_affine_updates_running_stats", bn(true),
            t => new[] { F.BatchNorm(t["x"], t["rm"], t["rv"], t["w"], t["b"], training: true, momentum: 0.1), t["rm"], t["rv"] }));
        l.Add(Cs("batch_norm_train_not_affine_momentum_0_3", bn(false),
            t => new[] { F.BatchNorm(t["x"], t["rm"], t["rv"], training: true, momentum: 0.3, eps: 1e-3), t["rm"], t["rv"] }));
        l.Add(C("batch_norm_train_without_running_stats", bn(true), t => F.BatchNorm(t["x"], null, null, t["w"], t["b"], training: true)));
        l.Add(Cs("batch_norm_eval_affine", bn(true), t => new[] { F.BatchNorm(t["x"], t["rm"], t["rv"], t["w"], t["b"], training: false), t["rm"], t["rv"] }));
        l.Add(C("batch_norm_eval_not_affine", bn(false), t => F.BatchNorm(t["x"], t["rm"], t["rv"], training: false)));
        l.Add(C("batch_norm_1d_train", c => c.Randn("x", 6, 3).Const("rm", Torch.Zeros(new long[] { 3 })).Const("rv", Torch.Ones(new long[] { 3 })).Randn("w", 3).Randn("b", 3),
            t => F.BatchNorm(t["x"], t["rm"], t["rv"], t["w"], t["b"], training: true)));
        l.Add(C("layer_norm_affine", c => c.Randn("x", 2, 3, 4, 5).Randn("w", 4, 5).Randn("b", 4, 5), t => F.LayerNorm(t["x"], new long[] { 4, 5 }, t["w"], t["b"])));
        l.Add(C("layer_norm_not_affine", A(2, 3, 6), t => F.LayerNorm(t["x"], new long[] { 6 }, eps: 1e-3)));
        l.Add(C("group_norm_affine", c => c.Randn("x", 2, 6, 4, 4).Randn("w", 6).Randn("b", 6), t => F.GroupNorm(t["x"], 3, t["w"], t["b"])));
        l.Add(C("group_norm_not_affine", A(2, 6, 4, 4), t => F.GroupNorm(t["x"], 2, eps: 1e-3)));

        // ---- activations (the in-place ones on a copy) -------------------------------------------
        var act = A(3, 4, 7);
        l.Add(C("relu", act, t => F.Relu(t["x"])));
        l.Add(C("relu_inplace", act, t => F.Relu_(t["x"].Mul(1.0))));
        l.Add(C("relu6", c => c.Leaf("x", Torch.Randn(new long[] { 3, 4, 7 }).Mul(5)), t => F.Relu6(t["x"])));
        l.Add(C("relu6_inplace", c => c.Leaf("x", Torch.Randn(new long[] { 3, 4, 7 }).Mul(5)), t => F.Relu6_(t["x"].Mul(1.0))));
        l.Add(C("leaky_relu", act, t => F.LeakyRelu(t["x"])));
        l.Add(C("leaky_relu_slope_0_2", act, t => F.LeakyRelu(t["x"], 0.2)));
        l.Add(C("gelu_exact", act, t => F.Gelu(t["x"])));
        l.Add(C("gelu_tanh", act, t => F.Gelu(t["x"], tanhApproximation: true)));
        l.Add(C("silu", act, t => F.Silu(t["x"])));
        l.Add(C("silu_inplace", act, t => F.Silu_(t["x"].Mul(1.0))));
        l.Add(C("hardswish", c => c.Leaf("x", Torch.Randn(new long[] { 3, 4, 7 }).Mul(4)), t => F.Hardswish(t["x"])));
        l.Add(C("hardswish_inplace", c => c.Leaf("x", Torch.Randn(new long[] { 3, 4, 7 }).Mul(4)), t => F.Hardswish_(t["x"].Mul(1.0))));
        l.Add(C("hardsigmoid", c => c.Leaf("x", Torch.Randn(new long[] { 3, 4, 7 }).Mul(4)), t => F.Hardsigmoid(t["x"])));
        l.Add(C("sigmoid", act, t => F.Sigmoid(t["x"])));
        l.Add(C("sigmoid_inplace", act, t => F.Sigmoid_(t["x"].Mul(1.0))));
        l.Add(C("tanh", act, t => F.Tanh(t["x"])));
        l.Add(C("tanh_inplace", act, t => F.Tanh_(t["x"].Mul(1.0))));
        l.Add(C("softmax_dim1", act, t => F.Softmax(t["x"], 1)));
        l.Add(C("log_softmax_last", act, t => F.LogSoftmax(t["x"], -1)));

        // ---- pooling -----------------------------------------------------------------------------
        var img = A(2, 3, 9, 8);
        l.Add(C("max_pool2d_2x2", img, t => F.MaxPool2d(t["x"], (2, 2))));
        l.Add(C("max_pool2d_3x3_stride2_padding1", img, t => F.MaxPool2d(t["x"], (3, 3), (2, 2), (1, 1))));
        l.Add(C("max_pool2d_ceil_mode", img, t => F.MaxPool2d(t["x"], (2, 2), ceilMode: true)));
        l.Add(C("max_pool2d_dilation", img, t => F.MaxPool2d(t["x"], (2, 2), (1, 1), (1, 1), (2, 2))));
        l.Add(C("avg_pool2d_2x2", img, t => F.AvgPool2d(t["x"], (2, 2))));
        l.Add(C("avg_pool2d_padding_count_include_pad", img, t => F.AvgPool2d(t["x"], (3, 3), (1, 1), (1, 1))));
        l.Add(C("avg_pool2d_padding_exclude_pad", img, t => F.AvgPool2d(t["x"], (3, 3), (1, 1), (1, 1), countIncludePad: false)));
        l.Add(C("avg_pool2d_ceil_mode", img, t => F.AvgPool2d(t["x"], (3, 3), (2, 2), (1, 1), ceilMode: true)));
        l.Add(C("adaptive_avg_pool2d_uneven", img, t => F.AdaptiveAvgPool2d(t["x"], (4, 3))));
        l.Add(C("adaptive_avg_pool2d_global", img, t => F.AdaptiveAvgPool2d(t["x"], (1, 1))));
        l.Add(C("adaptive_max_pool2d_uneven", img, t => F.AdaptiveMaxPool2d(t["x"], (4, 3))));

        // ---- regularisation (seeded: the same libtorch generator on both sides) -------------------
        var drop = A(4, 3, 5, 5);
        l.Add(C("dropout_p0_train_is_identity", drop, t => F.Dropout(t["x"], 0.0, training: true)));
        l.Add(C("dropout_eval_is_identity", drop, t => F.Dropout(t["x"], 0.5, training: false)));
        l.Add(C("dropout_train_seeded", drop, t => F.Dropout(t["x"], 0.3, training: true)) with { ForwardSeed = 2024 });
        l.Add(C("dropout2d_train_seeded", drop, t => F.Dropout2d(t["x"], 0.5, training: true)) with { ForwardSeed = 11 });
        l.Add(C("dropout2d_eval_is_identity", drop, t => F.Dropout2d(t["x"], 0.5, training: false)));
        l.Add(C("drop_path_train_seeded", c => c.Randn("x", 16, 3, 2, 2), t => F.DropPath(t["x"], 0.4, training: true)) with { ForwardSeed = 5 });
        l.Add(C("drop_path_eval_is_identity", drop, t => F.DropPath(t["x"], 0.4, training: false)));

        // ---- padding -----------------------------------------------------------------------------
        l.Add(C("pad_constant_value", img, t => F.Pad(t["x"], new long[] { 1, 2, 0, 3 }, PaddingMode.Constant, 1.5)));
        l.Add(C("pad_constant_last_dim_only", img, t => F.Pad(t["x"], new long[] { 3, 1 })));
        l.Add(C("pad_reflect", img, t => F.Pad(t["x"], new long[] { 1, 2, 3, 1 }, PaddingMode.Reflect)));
        l.Add(C("pad_replicate", img, t => F.Pad(t["x"], new long[] { 1, 2, 3, 1 }, PaddingMode.Replicate)));
        l.Add(C("pad_circular", img, t => F.Pad(t["x"], new long[] { 1, 2, 3, 1 }, PaddingMode.Circular)));

        // ---- interpolation -----------------------------------------------------------------------
        var small = A(2, 3, 5, 6);
        l.Add(C("interpolate_nearest_up", small, t => F.Interpolate(t["x"], (10, 9))));
        l.Add(C("interpolate_nearest_down", img, t => F.Interpolate(t["x"], (4, 3))));
        l.Add(C("interpolate_bilinear_up", small, t => F.Interpolate(t["x"], (11, 13), InterpolationMode.Bilinear)));
        l.Add(C("interpolate_bilinear_up_align_corners", small, t => F.Interpolate(t["x"], (11, 13), InterpolationMode.Bilinear, alignCorners: true)));
        l.Add(C("interpolate_bilinear_down", img, t => F.Interpolate(t["x"], (4, 3), InterpolationMode.Bilinear)));
        l.Add(C("interpolate_bilinear_down_antialias", img, t => F.Interpolate(t["x"], (4, 3), InterpolationMode.Bilinear, antialias: true)));
        l.Add(C("interpolate_bilinear_down_antialias_align_corners", img, t => F.Interpolate(t["x"], (4, 3), InterpolationMode.Bilinear, alignCorners: true, antialias: true)));
        l.Add(C("interpolate_bilinear_up_antialias", small, t => F.Interpolate(t["x"], (11, 13), InterpolationMode.Bilinear, antialias: true)));
        l.Add(C("interpolate_bicubic_up", small, t => F.Interpolate(t["x"], (11, 13), InterpolationMode.Bicubic)));
        l.Add(C("interpolate_bicubic_down_antialias", img, t => F.Interpolate(t["x"], (4, 3), InterpolationMode.Bicubic, antialias: true)));

        // ---- recurrent and lookup ----------------------------------------------------------------
        l.Add(Cs("lstm_cell", c => c.Randn("x", 3, 5).Randn("h", 3, 4).Randn("c", 3, 4).Randn("wih", 16, 5).Randn("whh", 16, 4).Randn("bih", 16).Randn("bhh", 16),
            t => { var (h, cc) = F.LstmCell(t["x"], t["h"], t["c"], t["wih"], t["whh"], t["bih"], t["bhh"]); return new[] { h, cc }; }));
        l.Add(Cs("lstm_cell_no_bias", c => c.Randn("x", 3, 5).Randn("h", 3, 4).Randn("c", 3, 4).Randn("wih", 16, 5).Randn("whh", 16, 4),
            t => { var (h, cc) = F.LstmCell(t["x"], t["h"], t["c"], t["wih"], t["whh"], null, null); return new[] { h, cc }; }));
        l.Add(C("embedding", c => c.Randn("w", 10, 4).Const("i", Torch.FromArray(new long[] { 1, 3, 3, 9, 0, 1 }, 2, 3)), t => F.Embedding(t["i"], t["w"])));
        l.Add(C("embedding_padding_idx", c => c.Randn("w", 10, 4).Const("i", Torch.FromArray(new long[] { 1, 3, 3, 9, 0, 1 }, 2, 3)), t => F.Embedding(t["i"], t["w"], paddingIdx: 3)));

        // ---- channels_last inputs keep torch's output layout; float64 ------------------------------
        var cl = (Action<CaseInputs>)(c => c.Leaf("x", Torch.Randn(new long[] { 2, 4, 8, 6 }).Contiguous(MemoryFormat.ChannelsLast)));
        var layout = new List<ParityCase>
        {
            C("channels_last_conv2d_3x3", c => { cl(c); c.Randn("w", 6, 4, 3, 3).Randn("b", 6); }, t => F.Conv2d(t["x"], t["w"], t["b"], padding: (1, 1))),
            C("channels_last_depthwise_conv2d", c => { cl(c); c.Randn("w", 4, 1, 3, 3); }, t => F.Conv2d(t["x"], t["w"], null, stride: (2, 2), padding: (1, 1), groups: 4)),
            Cs("channels_last_batch_norm_train", c => { cl(c); c.Const("rm", Torch.Zeros(new long[] { 4 })).Const("rv", Torch.Ones(new long[] { 4 })).Randn("w", 4).Randn("b", 4); },
                t => new[] { F.BatchNorm(t["x"], t["rm"], t["rv"], t["w"], t["b"], training: true), t["rm"], t["rv"] }),
            C("channels_last_max_pool2d", cl, t => F.MaxPool2d(t["x"], (3, 3), (2, 2), (1, 1))),
            C("channels_last_avg_pool2d", cl, t => F.AvgPool2d(t["x"], (2, 2))),
            C("channels_last_adaptive_avg_pool2d", cl, t => F.AdaptiveAvgPool2d(t["x"], (1, 1))),
            C("channels_last_interpolate_bilinear", cl, t => F.Interpolate(t["x"], (16, 12), InterpolationMode.Bilinear)),
            C("channels_last_relu_add", cl, t => F.Relu(t["x"]).Add(t["x"])),
        };
        l.AddRange(layout.Select(x => x with { CompareStrides = true }));
        l.Add(C("float64_conv2d", c => c.Leaf("x", Torch.Randn(X).To(ScalarType.Float64)).Leaf("w", Torch.Randn(new long[] { 6, 4, 3, 3 }).To(ScalarType.Float64)),
            t => F.Conv2d(t["x"], t["w"], null, stride: (2, 2))));
        l.Add(C("float64_log_softmax", c => c.Leaf("x", Torch.Randn(new long[] { 3, 7 }).To(ScalarType.Float64)), t => F.LogSoftmax(t["x"], 1)));
        l.Add(C("float64_layer_norm", c => c.Leaf("x", Torch.Randn(new long[] { 3, 7 }).To(ScalarType.Float64)), t => F.LayerNorm(t["x"], new long[] { 7 })));

        // ---- errors carry libtorch's message -----------------------------------------------------
        l.Add(C("error_conv2d_channel_mismatch", c => c.Randn("x", 2, 3, 8, 8).Randn("w", 6, 4, 3, 3), t => F.Conv2d(t["x"], t["w"])) with { ExpectError = true });
        l.Add(C("error_conv2d_kernel_larger_than_input", c => c.Randn("x", 1, 4, 2, 2).Randn("w", 6, 4, 3, 3), t => F.Conv2d(t["x"], t["w"])) with { ExpectError = true });
        l.Add(C("error_embedding_index_out_of_range", c => c.Randn("w", 10, 4).Const("i", Torch.FromArray(new long[] { 1, 10 }, 2)), t => F.Embedding(t["i"], t["w"])) with { ExpectError = true });
        return l;
    }
}
