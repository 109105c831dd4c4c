using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// Issue 11, item 1: an exported winner loaded by a program that references only TorchSharp and AutoNet.Models
/// (<see cref="StandaloneConsumer"/>) gives the same logits as AutoNet's own loading (what `autonet predict` runs).
/// </summary>
public sealed class StandaloneConsumerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autonet-standalone-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    public static TheoryData<string> Kinds => new() { "cell", "macro", "backbone" };

    private static nn.Module<Tensor, Tensor> Build(string kind) => kind switch
    {
        "cell" => new CellNetwork(PublishedGenotypes.DartsV2, new CellNetworkSettings(InitialChannels: 4, CellsPerStage: 1, Stages: 2, NumClasses: 3, Dropout: 0.2)),
        "macro" => new MacroCnnNetwork(new MacroCnnConfig(3, 3, [new MacroCnnStage(4, 1, Residual: true), new MacroCnnStage(8, 2)], MacroCnnDownsampling.AvgPool)),
        "backbone" => BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 3 }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_program_with_only_torchsharp_and_the_model_library_gets_the_packages_logits(string kind)
    {
        torch.set_num_threads(1);
        torch.manual_seed(21);
        using var model = Build(kind);
        OnnxParityFixture.RandomizeBatchNorm(model);
        model.eval();
        var dir = Path.Combine(root, kind);
        ModelPackage.Write(dir, model, new ModelPackageOptions
        {
            Preprocessing = new OnnxPreprocessing(32, 32, OnnxChannelOrder.Rgb, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]),
            ClassNames = ["a", "b", "c"],
            Formats = ModelExportFormats.Safetensors,
        });

        using var package = ModelPackage.Load(dir);
        using var standalone = StandaloneConsumer.Load(dir);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(2, 3, 32, 32);
        var expected = package.Model.forward(x).data<float>().ToArray();
        Assert.Equal(model.forward(x).data<float>().ToArray(), expected);
        Assert.Equal(expected, standalone.forward(x).data<float>().ToArray());
    }
}
