using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests;

/// <summary>
/// The engine's float32 convolutions against float64 (which never goes through oneDNN), for channel counts that are
/// and are not multiples of oneDNN's vector blocks: the parity tests rest on these being right, which the engine's
/// convolution check (AutoNet.Torch.Kernels.ConvolutionCheck) makes so where oneDNN's wide kernels are wrong.
/// </summary>
public sealed class EngineConvolutionTests
{
    public static TheoryData<long, long, long, long, long> Shapes => new()
    {
        { 8, 8, 3, 14, 1 }, { 16, 8, 3, 14, 1 }, { 3, 8, 3, 14, 1 }, { 1, 8, 3, 28, 1 }, { 12, 12, 3, 14, 1 }, { 24, 24, 3, 14, 1 },
        { 3, 6, 5, 28, 1 }, { 6, 12, 3, 14, 1 }, { 16, 16, 3, 14, 1 }, { 32, 32, 3, 7, 1 }, { 3, 64, 7, 64, 2 }, { 3, 32, 3, 32, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Convolution_and_its_gradients_match_float64(long inChannels, long outChannels, long kernel, long size, long stride)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var x = torch.randn(2, inChannels, size, size).requires_grad_(true);
        var w = torch.randn(outChannels, inChannels, kernel, kernel).requires_grad_(true);
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        var w64 = w.detach().to(ScalarType.Float64).requires_grad_(true);
        var padding = new[] { kernel / 2, kernel / 2 };
        var y = nn.functional.conv2d(x, w, strides: [stride, stride], padding: padding);
        var y64 = nn.functional.conv2d(x64, w64, strides: [stride, stride], padding: padding);
        var probe = torch.randn(y.shape);
        y.mul(probe).sum().backward();
        y64.mul(probe.to(ScalarType.Float64)).sum().backward();

        // Sums of up to 32·9 products of N(0,1) values: float32 rounding stays near 1e-5; the oneDNN fault is O(10).
        PeerNetwork.AssertClose(y64.to(ScalarType.Float32), y, 1e-5, "forward");
        PeerNetwork.AssertClose(x64.grad!.to(ScalarType.Float32), x.grad!, 1e-5, "input gradient");
        PeerNetwork.AssertClose(w64.grad!.to(ScalarType.Float32), w.grad!, 1e-5, "weight gradient");
    }
}
