using AutoNet.Torch.Native;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch.NN;

/// <summary><c>torch.nn.functional</c>: stateless layers, activations and losses.</summary>
public static unsafe class Functional
{
    private static TensorHandle Opt(Tensor? t) => t is null ? TensorHandle.Null : t.Handle;

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long, long)? stride = null, (long, long)? padding = null,
        (long, long)? dilation = null, long groups = 1)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* sp = stackalloc long[] { s.Item1, s.Item2 };
        long* pp = stackalloc long[] { p.Item1, p.Item2 };
        long* dp = stackalloc long[] { d.Item1, d.Item2 };
        return new Tensor(ATNNN_conv2d(input.Handle, weight.Handle, Opt(bias), sp, pp, dp, groups));
    }

    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        new(ATNNN_conv1d(input.Handle, weight.Handle, Opt(bias), stride, padding, dilation, groups));

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => new(ATNNN_linear(input.Handle, weight.Handle, Opt(bias)));

    /// <summary>Batch norm; in training it updates <paramref name="runningMean"/>/<paramref name="runningVar"/> in place.</summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        new(ATNNN_batch_norm(input.Handle, Opt(weight), Opt(bias), Opt(runningMean), Opt(runningVar), training ? 1 : 0, momentum, eps));

    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* p = normalizedShape)
        {
            return new Tensor(ATNNN_layer_norm(input.Handle, p, normalizedShape.Length, Opt(weight), Opt(bias), eps));
        }
    }

    public static Tensor GroupNorm(Tensor input, long groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        new(ATNNN_group_norm(input.Handle, groups, Opt(weight), Opt(bias), eps));

    // ---- activations ---------------------------------------------------------------------------
    public static Tensor Relu(Tensor x) => new(ATNNN_relu(x.Handle));
    public static Tensor Relu_(Tensor x) => InPlace(x, ATNNN_relu_(x.Handle));
    public static Tensor Relu6(Tensor x) => new(ATNNN_relu6(x.Handle));
    public static Tensor Relu6_(Tensor x) => InPlace(x, ATNNN_relu6_(x.Handle));
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => new(ATNNN_leaky_relu(x.Handle, negativeSlope));
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => new(ATNNN_gelu(x.Handle, tanhApproximation ? 1 : 0));
    public static Tensor Silu(Tensor x) => new(ATNNN_silu(x.Handle));
    public static Tensor Silu_(Tensor x) => InPlace(x, ATNNN_silu_(x.Handle));
    public static Tensor Hardswish(Tensor x) => new(ATNNN_hardswish(x.Handle));
    public static Tensor Hardswish_(Tensor x) => InPlace(x, ATNNN_hardswish_(x.Handle));
    public static Tensor Hardsigmoid(Tensor x) => new(ATNNN_hardsigmoid(x.Handle));
    public static Tensor Sigmoid(Tensor x) => new(ATNNN_sigmoid(x.Handle));
    public static Tensor Sigmoid_(Tensor x) => InPlace(x, ATNNN_sigmoid_(x.Handle));
    public static Tensor Tanh(Tensor x) => new(ATNNN_tanh(x.Handle));
    public static Tensor Tanh_(Tensor x) => InPlace(x, ATNNN_tanh_(x.Handle));
    public static Tensor Softmax(Tensor x, long dim) => new(ATNNN_softmax(x.Handle, dim));
    public static Tensor LogSoftmax(Tensor x, long dim) => new(ATNNN_log_softmax(x.Handle, dim));

    // ---- pooling -------------------------------------------------------------------------------
    public static Tensor MaxPool2d(Tensor x, (long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
        (long, long)? dilation = null, bool ceilMode = false)
    {
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* kp = stackalloc long[] { kernelSize.Item1, kernelSize.Item2 };
        long* sp = stackalloc long[] { s.Item1, s.Item2 };
        long* pp = stackalloc long[] { p.Item1, p.Item2 };
        long* dp = stackalloc long[] { d.Item1, d.Item2 };
        return new Tensor(ATNNN_max_pool2d(x.Handle, kp, sp, pp, dp, ceilMode ? 1 : 0));
    }

    public static Tensor AvgPool2d(Tensor x, (long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        long* kp = stackalloc long[] { kernelSize.Item1, kernelSize.Item2 };
        long* sp = stackalloc long[] { s.Item1, s.Item2 };
        long* pp = stackalloc long[] { p.Item1, p.Item2 };
        return new Tensor(ATNNN_avg_pool2d(x.Handle, kp, sp, pp, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    public static Tensor AdaptiveAvgPool2d(Tensor x, (long, long) outputSize)
    {
        long* o = stackalloc long[] { outputSize.Item1, outputSize.Item2 };
        return new Tensor(ATNNN_adaptive_avg_pool2d(x.Handle, o));
    }

    public static Tensor AdaptiveMaxPool2d(Tensor x, (long, long) outputSize)
    {
        long* o = stackalloc long[] { outputSize.Item1, outputSize.Item2 };
        return new Tensor(ATNNN_adaptive_max_pool2d(x.Handle, o));
    }

    // ---- regularisation ------------------------------------------------------------------------
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true) => new(ATNNN_dropout(x.Handle, p, training ? 1 : 0));

    public static Tensor Dropout2d(Tensor x, double p = 0.5, bool training = true) => new(ATNNN_dropout2d(x.Handle, p, training ? 1 : 0));

    /// <summary>Stochastic depth: drops whole samples with probability <paramref name="p"/> and rescales the rest.</summary>
    public static Tensor DropPath(Tensor x, double p, bool training) => new(ATNNN_drop_path(x.Handle, p, training ? 1 : 0));

    // ---- shape ---------------------------------------------------------------------------------
    /// <summary>Pads the last dimensions: (left, right, top, bottom, ...), as torch.nn.functional.pad.</summary>
    public static Tensor Pad(Tensor x, long[] pad, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        fixed (long* p = pad)
        {
            return new Tensor(ATNTensor_pad(x.Handle, p, pad.Length, (int)mode, value));
        }
    }

    public static Tensor Interpolate(Tensor x, (long Height, long Width) size, InterpolationMode mode = InterpolationMode.Nearest,
        bool alignCorners = false, bool antialias = false)
    {
        long* s = stackalloc long[] { size.Height, size.Width };
        return new Tensor(ATNNN_interpolate(x.Handle, s, (int)mode, alignCorners ? 1 : 0, antialias ? 1 : 0));
    }

    // ---- losses --------------------------------------------------------------------------------
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        long ignoreIndex = -100, double labelSmoothing = 0) =>
        new(ATNNN_cross_entropy(input.Handle, target.Handle, Opt(weight), (int)reduction, ignoreIndex, labelSmoothing));

    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        new(ATNNN_nll_loss(input.Handle, target.Handle, Opt(weight), (int)reduction, ignoreIndex));

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        new(ATNNN_mse_loss(input.Handle, target.Handle, (int)reduction));

    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
        new(ATNNN_binary_cross_entropy_with_logits(input.Handle, target.Handle, Opt(weight), (int)reduction));

    // ---- recurrent and lookup ------------------------------------------------------------------
    public static (Tensor H, Tensor C) LstmCell(Tensor input, Tensor h, Tensor c, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        IntPtr hOut, cOut;
        Check(ATNNN_lstm_cell(input.Handle, h.Handle, c.Handle, weightIh.Handle, weightHh.Handle, Opt(biasIh), Opt(biasHh), &hOut, &cOut));
        return (new Tensor(hOut), new Tensor(cOut));
    }

    public static Tensor Embedding(Tensor indices, Tensor weight, long paddingIdx = -1) => new(ATNNN_embedding(weight.Handle, indices.Handle, paddingIdx));

    private static Tensor InPlace(Tensor x, int status)
    {
        Check(status);
        return x;
    }
}
