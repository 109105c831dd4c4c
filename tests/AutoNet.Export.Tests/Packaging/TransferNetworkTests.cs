using System.Text.Json.Nodes;
using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;

using AutoNet.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Packaging;

/// <summary>
/// Transfer networks and packages: a loaded package as a feature extractor (its features are the original model's
/// penultimate output, under a fresh head), and transfer networks with each head packaged and loaded back.
/// </summary>
public sealed class TransferNetworkTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "autonet-transfer-" + Guid.NewGuid().ToString("N"));

    public TransferNetworkTests() => torch.set_num_threads(1);

    public static TheoryData<string> Kinds => new() { "cell", "macro", "backbone" };

    public static TheoryData<string> Heads => new() { "linear", "mlp", "cell" };

    private static nn.Module<Tensor, Tensor> Build(string kind) => kind switch
    {
        "cell" => new CellNetwork(PublishedGenotypes.DartsV2, new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, NumClasses: 5)),
        "macro" => new MacroCnnNetwork(new MacroCnnConfig(3, 5, [new MacroCnnStage(4, 1), new MacroCnnStage(8, 1, Residual: true)], Dropout: 0.5)),
        "backbone" => BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 5 }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static TransferNetwork BuildTransfer(string head) => head switch
    {
        "linear" => new TransferNetwork(FeatureExtractor.From(Build("macro")), TransferHead.Linear(0.2), 3, freezeFraction: 0.5),
        "mlp" => new TransferNetwork(FeatureExtractor.From(Build("cell")), TransferHead.Mlp(7, 0.4), 3, freezeFraction: 1.0),

        // As a transfer trial builds it: a torchvision backbone without classifier.
        "cell" => new TransferNetwork(FeatureExtractor.From(BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 0 })),
            TransferHead.SearchedCell(PublishedGenotypes.DartsV1.Normal, channels: 3, dropout: 0.1), 3, freezeFraction: 0.25),
        _ => throw new ArgumentOutOfRangeException(nameof(head)),
    };

    private static ModelPackageOptions Options() => new()
    {
        Preprocessing = new OnnxPreprocessing(32, 32, OnnxChannelOrder.Rgb, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]),
        ClassNames = ["0", "1", "2", "3", "4"],
        Formats = ModelExportFormats.Safetensors,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_loaded_package_gives_the_original_penultimate_output_as_features_under_a_new_linear_head(string kind)
    {
        torch.manual_seed(11);
        using var original = Build(kind);
        OnnxParityFixture.RandomizeBatchNorm(original);
        original.eval();
        var dir = Path.Combine(root, kind);
        ModelPackage.Write(dir, original, Options());

        var (network, source) = ModelPackage.LoadAsBackbone(dir, numClasses: 2);
        using (network)
        {
            Assert.Equal(5, source.ClassNames.Count);
            Assert.True(network.training);
            Assert.Equal(TransferPhase.FineTune, network.Phase);
            Assert.Equal(TransferHead.Linear(), network.HeadSettings);
            Assert.Equal(original.GetType(), network.Features.Module.GetType());
            network.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.randn([3, 3, 32, 32]);
            var expected = FeatureExtractor.From(original).ForwardFeatures(x);

            // The penultimate output, computed independently: the original's logits are its classifier applied to it.
            var classifier = (Linear)original.named_modules().Single(m => m.module is Linear && m.name is "classifier" or "fc").module;
            Assert.Equal(original.forward(x).data<float>().ToArray(), classifier.forward(expected).data<float>().ToArray());

            Assert.Equal(expected.data<float>().ToArray(), network.Features.ForwardFeatures(x).data<float>().ToArray());
            var head = Assert.IsType<Linear>(network.Head.children().Last());
            Assert.Equal(network.Features.FeatureDim, head.in_features);
            Assert.Equal(expected.size(1), head.in_features);

            // The head is the network's only addition: its logits are the new linear layer on those features.
            Assert.Equal(head.forward(expected).data<float>().ToArray(), network.forward(x).data<float>().ToArray());
            Assert.Equal(new long[] { 3, 2 }, network.forward(x).shape);
        }
    }

    [Fact]
    public void Loading_as_a_backbone_takes_the_head_and_the_frozen_fraction()
    {
        torch.manual_seed(5);
        using var original = Build("macro");
        var dir = Path.Combine(root, "freeze");
        ModelPackage.Write(dir, original, Options());

        var (network, _) = ModelPackage.LoadAsBackbone(dir, 3, TransferHead.Mlp(6, 0.3), freezeFraction: 0.5);
        using (network)
        {
            Assert.Equal(TransferHead.Mlp(6, 0.3), network.HeadSettings);
            Assert.Equal(0.5, network.FreezeFraction);
            Assert.Equal(3, network.NumClasses);

            // Two stages, the first frozen; the old classifier feeds nothing and never trains.
            foreach (var (key, parameter) in network.named_parameters())
            {
                var trains = key.StartsWith("head.", StringComparison.Ordinal) || key.StartsWith("backbone.stages.1.", StringComparison.Ordinal);
                Assert.True(parameter.requires_grad == trains, $"{key} requires grad: {parameter.requires_grad}");
            }

            Assert.Equal(["head.0.weight", "head.0.bias", "head.3.weight", "head.3.bias"], network.Head.named_parameters().Select(p => "head." + p.name));
        }
    }

    [Theory]
    [MemberData(nameof(Heads))]
    public void A_transfer_network_packages_and_loads_back_with_its_head_and_frozen_fraction(string head)
    {
        torch.manual_seed(8);
        using var transfer = BuildTransfer(head);
        OnnxParityFixture.RandomizeBatchNorm(transfer);
        transfer.eval();
        var dir = Path.Combine(root, "transfer-" + head);
        var written = ModelPackage.Write(dir, transfer, Options() with { ClassNames = ["a", "b", "c"] });
        var architecture = Assert.IsType<TransferArchitecture>(written.Architecture);
        Assert.Equal(head, architecture.ToJson()["head"]!["kind"]!.GetValue<string>());

        using var package = ModelPackage.Load(dir);
        var loaded = Assert.IsType<TransferNetwork>(package.Model);
        Assert.Equal(transfer.Features.Module.GetType(), loaded.Features.Module.GetType());
        Assert.Equal(transfer.HeadSettings, loaded.HeadSettings);
        Assert.Equal(transfer.FreezeFraction, loaded.FreezeFraction);
        Assert.Equal(transfer.state_dict().Keys, loaded.state_dict().Keys);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn([2, 3, 32, 32]);
        Assert.Equal(transfer.forward(x).data<float>().ToArray(), loaded.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void A_packaged_transfer_network_can_itself_be_a_backbone()
    {
        torch.manual_seed(9);
        using var transfer = BuildTransfer("linear");
        OnnxParityFixture.RandomizeBatchNorm(transfer);
        transfer.eval();
        var dir = Path.Combine(root, "again");
        ModelPackage.Write(dir, transfer, Options() with { ClassNames = ["a", "b", "c"] });

        using var package = ModelPackage.Load(dir);
        using var again = package.ToTransferNetwork(7, freezeFraction: 1.0);
        Assert.Throws<InvalidOperationException>(() => package.Model);
        Assert.IsType<TransferNetwork>(again.Features.Module);

        // Fully frozen: only the new head trains (the earlier head feeds nothing).
        Assert.All(again.named_parameters(), p => Assert.Equal(p.name.StartsWith("head.", StringComparison.Ordinal), p.parameter.requires_grad));
        again.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn([2, 3, 32, 32]);
        Assert.Equal(transfer.Features.ForwardFeatures(x).data<float>().ToArray(), again.Features.ForwardFeatures(x).data<float>().ToArray());
        Assert.Equal(new long[] { 2, 7 }, again.forward(x).shape);
    }

    [Theory]
    [InlineData("kind", "\"conv\"", "$.architecture.head.kind", "not a transfer head kind")]
    [InlineData("dropout", "1.5", "$.architecture.head", "Dropout = 1.5")]
    public void A_bad_head_in_model_json_is_refused_naming_the_field(string field, string value, string path, string problem)
    {
        using var transfer = BuildTransfer("mlp");
        var dir = Path.Combine(root, "bad-" + field);
        ModelPackage.Write(dir, transfer, Options() with { ClassNames = ["a", "b", "c"] });
        var file = Path.Combine(dir, ModelPackage.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        json["architecture"]!["head"]![field] = JsonNode.Parse(value);
        File.WriteAllText(file, json.ToJsonString());

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir));
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_autonet_networks_can_be_packaged_as_a_transfer_networks_features()
    {
        using var plain = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten());
        var error = Assert.Throws<ArgumentException>(() => FeatureExtractor.From(plain));
        Assert.Contains("Sequential is not one of AutoNet's networks", error.Message, StringComparison.Ordinal);

        // The transfer network owns its extractor's module (disposing one disposes the other).
        using var custom = new TransferNetwork(FeatureExtractor.Custom(nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten()), 4, [new BackboneStage("conv", ["0"])], x => x.flatten(1)), TransferHead.Linear(), 3, 0.0);
        var refused = Assert.Throws<NotSupportedException>(() => ModelPackage.Write(Path.Combine(root, "custom"), custom, Options() with { ClassNames = ["a", "b", "c"] }));
        Assert.Contains("Sequential cannot be packaged", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "custom")));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
