using AutoNet.Torch.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Kernels;

public sealed class ConvolutionCheckTests
{
    [Fact]
    public void After_engine_set_up_float32_convolutions_agree_with_float64()
    {
        var report = TorchEngine.Convolutions;

        Assert.True(report.Passed, report.Describe());
        Assert.InRange(ConvolutionCheck.WorstError(), 0, ConvolutionCheck.Tolerance);
    }

    [LibtorchContextFact]
    public void After_engine_set_up_nnpack_is_off()
    {
        TorchEngine.Initialize();

        // NNPACK printed "Could not initialize NNPACK! Reason: Unsupported hardware" for every convolution layer here.
        Assert.False(LibtorchContext.NnpackEnabled);
    }

    [Fact]
    public void A_depthwise_and_a_strided_stem_convolution_also_agree_with_float64_under_the_kernels_chosen()
    {
        // Shapes the check itself does not use: the fix must hold beyond the shapes that detect the fault.
        TorchEngine.Initialize();
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(7);
        foreach (var (input, weight, stride, groups) in new[]
                 {
                     (torch.randn([2, 12, 15, 15], generator: generator), torch.randn([12, 1, 3, 3], generator: generator), 1L, 12L),
                     (torch.randn([2, 3, 32, 32], generator: generator), torch.randn([20, 3, 7, 7], generator: generator) / 12, 2L, 1L),
                 })
        {
            var x = input.detach().requires_grad_();
            var y = nn.functional.conv2d(x, weight, strides: [stride, stride], padding: [1, 1], groups: groups);
            y.sum().backward();
            var x64 = input.to(ScalarType.Float64).requires_grad_();
            var y64 = nn.functional.conv2d(x64, weight.to(ScalarType.Float64), strides: [stride, stride], padding: [1, 1], groups: groups);
            y64.sum().backward();

            Assert.True((y.to(ScalarType.Float64) - y64).abs().max().item<double>() < 1e-3, "forward");
            Assert.True((x.grad!.to(ScalarType.Float64) - x64.grad!).abs().max().item<double>() < 1e-3, "input gradient");
        }
    }

    [Fact]
    public void The_report_says_what_was_changed_and_why()
    {
        Assert.Contains("agree with float64", new ConvolutionCheckReport(1e-6, ConvolutionFix.None, 1e-6).Describe(), StringComparison.Ordinal);
        Assert.Contains("turned oneDNN off", new ConvolutionCheckReport(0.5, ConvolutionFix.OneDnnOff, 1e-6).Describe(), StringComparison.Ordinal);
        Assert.Contains("capped at SSE41", new ConvolutionCheckReport(1e-6, ConvolutionFix.OneDnnCapped, 1e-6).Describe(), StringComparison.Ordinal);
        Assert.Contains("not trustworthy", new ConvolutionCheckReport(0.5, ConvolutionFix.OneDnnOff, 0.4).Describe(), StringComparison.Ordinal);
    }
}
