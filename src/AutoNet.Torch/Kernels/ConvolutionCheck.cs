using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Kernels;

/// <summary>
/// Checks float32 convolutions against float64 before anything trains, and turns libtorch's oneDNN kernels off
/// where they compute wrong numbers. Seen here: TorchSharp 0.107's libtorch 2.10 on an AVX-512 host returned
/// convolutions off by up to 0.9 (forward and input gradient) whenever a channel count was not a multiple of the
/// vector width (3→20, 20→36, 13→7), with AVX2 kernels too; with oneDNN off (libtorch's own im2col + GEMM path) they
/// agree with float64 to 1e-6. Uses its own generator, so a seeded search draws the same numbers either way.
/// </summary>
public static class ConvolutionCheck
{
    /// <summary>Far above float32 rounding (about 1e-6 here), far below the errors seen (0.3–0.9).</summary>
    public const double Tolerance = 1e-3;

    private static readonly (long In, long Out)[] Shapes = [(3, 20), (20, 36), (13, 7), (24, 40)];

    /// <summary>The instruction set oneDNN is capped at where its vector kernels failed: correct here, and 1.2x faster than oneDNN off.</summary>
    public const string SafeIsa = "SSE41";

    /// <summary>
    /// Must run before the first TorchSharp operation. Where an earlier process found oneDNN's kernels wrong on this
    /// machine, caps them first; then checks; where the check fails, switches oneDNN off for this process and records
    /// the verdict, so later processes start capped.
    /// </summary>
    public static ConvolutionCheckReport Run(string libtorchVersion)
    {
        var capped = false;
        if (OneDnnIsaCap.UserCap is null && KernelVerdictCache.KnownBroken(libtorchVersion))
        {
            OneDnnIsaCap.Apply(SafeIsa);
            capped = true;
        }

        var firstError = WorstError();
        if (firstError <= Tolerance || !LibtorchContext.IsAvailable)
        {
            return new ConvolutionCheckReport(firstError, capped ? ConvolutionFix.OneDnnCapped : ConvolutionFix.None, firstError);
        }

        LibtorchContext.OneDnnEnabled = false;
        // Processes started from this one (workers, PyTorch references in tests) inherit the environment: they start capped.
        Environment.SetEnvironmentVariable(OneDnnIsaCap.Variable, SafeIsa);
        var finalError = WorstError();
        if (!capped && finalError <= Tolerance)
        {
            KernelVerdictCache.RecordBroken(libtorchVersion, $"float32 convolutions through oneDNN were off by {firstError:G3} from float64");
        }

        return new ConvolutionCheckReport(firstError, ConvolutionFix.OneDnnOff, finalError);
    }

    /// <summary>The largest difference of a float32 convolution (forward and input gradient) from float64, relative to the values' scale.</summary>
    public static double WorstError()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(20261206);
        var worst = 0.0;
        foreach (var (channelsIn, channelsOut) in Shapes)
        {
            var input = torch.randn([2, channelsIn, 9, 9], generator: generator);
            var weight = torch.randn([channelsOut, channelsIn, 3, 3], generator: generator).DividedBy(Math.Sqrt(channelsIn * 9));
            var upstream = torch.randn([2, channelsOut, 9, 9], generator: generator);
            worst = Math.Max(worst, Compare(input, weight, upstream));
        }

        return worst;
    }

    private static double Compare(Tensor input, Tensor weight, Tensor upstream)
    {
        var (output32, gradient32) = Convolve(input, weight, upstream);
        var (output64, gradient64) = Convolve(input.to(ScalarType.Float64), weight.to(ScalarType.Float64), upstream.to(ScalarType.Float64));
        return Math.Max(Relative(output32, output64), Relative(gradient32, gradient64));
    }

    private static (Tensor Output, Tensor InputGradient) Convolve(Tensor input, Tensor weight, Tensor upstream)
    {
        var x = input.detach().requires_grad_();
        var y = nn.functional.conv2d(x, weight, padding: [1, 1]);
        y.backward([upstream]);
        return (y.detach(), x.grad!);
    }

    private static double Relative(Tensor value, Tensor reference) =>
        (value.to(ScalarType.Float64) - reference).abs().max().item<double>() / Math.Max(1.0, reference.abs().max().item<double>());
}
