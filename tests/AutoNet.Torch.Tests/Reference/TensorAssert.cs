using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Reference;

/// <summary>Element-wise comparison with PyTorch's allclose rule, reporting the worst element on failure.</summary>
public static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "tensor")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.detach().cpu().to(ScalarType.Float64);
        using var a = actual.detach().cpu().to(ScalarType.Float64);
        var ev = e.data<double>().ToArray();
        var av = a.data<double>().ToArray();
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < ev.Length; i++)
        {
            var excess = Math.Abs(ev[i] - av[i]) - (atol + rtol * Math.Abs(ev[i]));
            if (excess > worstExcess || double.IsNaN(av[i]) != double.IsNaN(ev[i]))
            {
                worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess;
                worst = i;
            }
        }

        Assert.True(worst < 0, worst < 0 ? string.Empty :
            $"{what}: element {worst} is {av[worst]:R}, PyTorch has {ev[worst]:R} (rtol {rtol}, atol {atol}); shape [{string.Join(",", actual.shape)}]");
    }
}
