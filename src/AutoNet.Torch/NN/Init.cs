namespace AutoNet.Torch.NN;

/// <summary>
/// <c>torch.nn.init</c>: in-place initialisers with PyTorch's formulas. They run without gradient tracking and
/// return the tensor they filled.
/// </summary>
public static class Init
{
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv1d or Nonlinearity.Conv2d or Nonlinearity.Conv3d or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.Selu => 3.0 / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "unknown nonlinearity"),
    };

    /// <summary>Fan in and fan out as PyTorch computes them: dims 1 and 0 times the receptive field (dims 2..).</summary>
    public static (long FanIn, long FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        var shape = tensor.Shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException($"fan in and fan out cannot be computed for a tensor with {shape.Length} dimensions (need at least 2)", nameof(tensor));
        }

        long receptive = 1;
        for (var i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }

    private static long Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }

    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1)
    {
        using var noGrad = Torch.NoGrad();
        return tensor.Uniform_(a, b);
    }

    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1)
    {
        using var noGrad = Torch.NoGrad();
        return tensor.Normal_(mean, std);
    }

    public static Tensor Constant_(Tensor tensor, double value)
    {
        using var noGrad = Torch.NoGrad();
        return tensor.Fill_(value);
    }

    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>U(-bound, bound) with bound = gain * sqrt(3 / fan); <paramref name="a"/> is leaky ReLU's negative slope.</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        var bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound);
    }

    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu) =>
        Normal_(tensor, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

    public static Tensor XavierUniform_(Tensor tensor, double gain = 1)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        var bound = Math.Sqrt(3.0) * gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Uniform_(tensor, -bound, bound);
    }

    public static Tensor XavierNormal_(Tensor tensor, double gain = 1)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    /// <summary>
    /// Normal(mean, std) truncated to [a, b]. PyTorch uses the inverse CDF; this redraws the values outside the
    /// interval until none is left, which gives the same distribution without needing erfinv.
    /// </summary>
    public static Tensor TruncNormal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2)
    {
        if (!(a < b))
        {
            throw new ArgumentException($"the truncation interval [{a}, {b}] is empty", nameof(a));
        }

        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        tensor.Normal_(mean, std);
        for (var round = 0; round < 1000; round++)
        {
            var outside = tensor.Lt(a).LogicalOr(tensor.Gt(b));
            if (!outside.Any().Item<bool>())
            {
                return tensor;
            }

            var fresh = Torch.Empty(tensor.Shape, tensor.DType, tensor.Device).Normal_(mean, std);
            tensor.CopyFrom(fresh.Where(outside, tensor));
        }

        // The interval is too far in a tail for redrawing; clamping keeps the result inside it.
        return tensor.Clamp_(a, b);
    }
}
