using AutoNet.Export.Descriptions;
using AutoNet.Models.Architecture;
using AutoNet.Models.Backbones;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// The descriptions the exporters walk for hand-written backbones are faithful: built as an
/// <see cref="ArchitectureModule"/>, a backbone's description has its state-dict keys and, with its weights, its logits.
/// </summary>
public sealed class ModelDescriberTests
{
    public static TheoryData<string> Backbones => new(BackboneFactory.Names);

    [Theory]
    [MemberData(nameof(Backbones))]
    public void A_backbones_description_has_its_keys_and_computes_its_logits(string name)
    {
        torch.set_num_threads(1);
        torch.manual_seed(17);
        using var backbone = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 5, InChannels = 1 });
        OnnxParityFixture.RandomizeBatchNorm(backbone);
        backbone.eval();
        using var described = new ArchitectureModule(ModelDescriber.Describe(backbone));
        Assert.Equal(backbone.state_dict().Keys.Order(StringComparer.Ordinal), described.state_dict().Keys.Order(StringComparer.Ordinal));
        ModuleWeights.Load(described, backbone.state_dict(), name);
        described.eval();

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(2, 1, 32, 32);
        var expected = backbone.forward(x);
        var actual = described.forward(x);
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-5), $"{name}: max difference {(expected - actual).abs().max().item<float>()}");
    }
}
