using System.Globalization;

namespace AutoNet.Torch.Kernels;

/// <summary>What <see cref="ConvolutionCheck"/> measured and did.</summary>
/// <param name="FirstError">The worst relative error of the kernels the process started with.</param>
/// <param name="Fix">What was changed because of it.</param>
/// <param name="FinalError">The worst relative error of the kernels now in use.</param>
public sealed record ConvolutionCheckReport(double FirstError, ConvolutionFix Fix, double FinalError)
{
    public bool Passed => FinalError <= ConvolutionCheck.Tolerance;

    public string Describe()
    {
        var first = FirstError.ToString("G2", CultureInfo.InvariantCulture);
        var final = FinalError.ToString("G2", CultureInfo.InvariantCulture);
        return (Fix, Passed) switch
        {
            (_, false) => $"float32 convolutions are off by {final} from float64 and AutoNet could not fix it on this platform: results are not trustworthy",
            (ConvolutionFix.OneDnnOff, _) =>
                $"oneDNN's float32 convolutions were off by {first} from float64 here, so AutoNet turned oneDNN off for this process (now off by {final}); later processes cap it at {ConvolutionCheck.SafeIsa}",
            (ConvolutionFix.OneDnnCapped, _) =>
                $"oneDNN capped at {ConvolutionCheck.SafeIsa}, because its wider kernels computed wrong convolutions on this machine; now off by {final} from float64",
            _ => $"float32 convolutions agree with float64 (worst {final})",
        };
    }
}
