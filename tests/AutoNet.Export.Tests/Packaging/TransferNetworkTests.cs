using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Export.Tests.Onnx;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Tests.Packaging;

using Torch = AutoNet.Torch.Torch;

/// <summary>A package loaded as a backbone: its features are the original model's penultimate output, under a fresh head.</summary>
public sealed class TransferNetworkTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "autonet-transfer-" + Guid.NewGuid().ToString("N"));

    public TransferNetworkTests() => Torch.SetNumThreads(1);

    public static TheoryData<string> Kinds => new() { "cell", "macro", "backbone" };

    private static Module Build(string kind) => kind switch
    {
        "cell" => new CellNetwork(PublishedGenotypes.DartsV2, new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, NumClasses: 5)),
        "macro" => new MacroCnnNetwork(new MacroCnnConfig(3, 5, [new MacroCnnStage(4, 1), new MacroCnnStage(8, 1, Residual: true)], Dropout: 0.5)),
        "backbone" => BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 5 }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ModelPackageOptions Options() => new()
    {
        Preprocessing = new OnnxPreprocessing(32, 32, OnnxChannelOrder.Rgb, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]),
        ClassNames = ["0", "1", "2", "3", "4"],
        Formats = ModelExportFormats.Safetensors,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_loaded_package_gives_the_original_penultimate_output_as_features_under_a_new_head(string kind)
    {
        Torch.ManualSeed(11);
        using var original = Build(kind);
        OnnxParityFixture.RandomizeBatchNorm(original);
        original.Eval();
        var dir = Path.Combine(root, kind);
        ModelPackage.Write(dir, original, Options());

        var (network, source) = ModelPackage.LoadAsBackbone(dir, numClasses: 2);
        using (network)
        {
            Assert.Equal(5, source.ClassNames.Count);
            Assert.True(network.IsTraining);
            network.Eval();
            using var scope = Torch.NewDisposeScope();
            using var noGrad = Torch.NoGrad();
            var x = Torch.Randn([3, 3, 32, 32]);
            var expected = FeatureExtractor.ForwardFeatures(original, x);

            // The penultimate output, computed independently: the original's logits are its classifier applied to it.
            var classifier = original.NamedModules().Single(m => m.Value is Linear && m.Key is "classifier" or "fc").Value;
            Assert.Equal(original.Forward(x).ToArray<float>(), classifier.Forward(expected).ToArray<float>());

            Assert.Equal(expected.ToArray<float>(), network.ForwardFeatures(x).ToArray<float>());
            Assert.Equal(new long[] { 3, 2 }, network.Forward(x).Shape);
            Assert.Equal(FeatureExtractor.FeatureCount(original), network.Head.InFeatures);
        }
    }

    [Fact]
    public void Freezing_the_base_leaves_only_the_head_trainable_and_a_step_changes_only_the_head()
    {
        Torch.ManualSeed(5);
        using var network = new TransferNetwork(Build("macro"), numClasses: 3);
        network.FreezeBase();
        Assert.Equal(["head.weight", "head.bias"], network.NamedParameters().Where(p => p.Value.RequiresGrad).Select(p => p.Key));

        var before = network.StateDict().Where(p => p.Value.DType == AutoNet.Torch.ScalarType.Float32).ToDictionary(p => p.Key, p => p.Value.ToArray<float>());
        using (var scope = Torch.NewDisposeScope())
        {
            network.Train();
            network.Base.Eval();
            var loss = Functional.CrossEntropy(network.Forward(Torch.Randn([4, 3, 32, 32])), Torch.FromArray(new long[] { 0, 1, 2, 0 }, 4));
            loss.Backward();
            using var noGrad = Torch.NoGrad();
            foreach (var parameter in network.TrainableParameters())
            {
                parameter.Sub_(parameter.Grad!.Mul(0.1));
            }
        }

        foreach (var (key, value) in network.StateDict().Where(p => p.Value.DType == AutoNet.Torch.ScalarType.Float32))
        {
            var changed = !before[key].SequenceEqual(value.ToArray<float>());
            Assert.True(changed == key.StartsWith("head.", StringComparison.Ordinal), $"{key} changed: {changed}");
        }

        network.FreezeBase(false);
        Assert.Equal(network.Parameters().Count(), network.TrainableParameters().Count());
    }

    [Fact]
    public void A_transfer_network_packages_and_loads_back_and_can_itself_be_a_backbone()
    {
        Torch.ManualSeed(8);
        using var transfer = new TransferNetwork(Build("macro"), numClasses: 3, dropout: 0.2);
        OnnxParityFixture.RandomizeBatchNorm(transfer);
        transfer.Eval();
        var dir = Path.Combine(root, "transfer");
        ModelPackage.Write(dir, transfer, Options() with { ClassNames = ["a", "b", "c"] });

        using var package = ModelPackage.Load(dir);
        var loaded = Assert.IsType<TransferNetwork>(package.Model);
        Assert.IsType<MacroCnnNetwork>(loaded.Base);
        Assert.Equal(0.2, loaded.DropoutProbability);
        using var again = package.ToTransferNetwork(7);
        Assert.Throws<InvalidOperationException>(() => package.Model);
        again.Eval();
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = Torch.Randn([2, 3, 32, 32]);
        Assert.Equal(transfer.ForwardFeatures(x).ToArray<float>(), again.ForwardFeatures(x).ToArray<float>());
        Assert.Equal(new long[] { 2, 7 }, again.Forward(x).Shape);
    }

    [Fact]
    public void Only_autonet_networks_can_serve_as_a_backbone()
    {
        using var plain = new Sequential(new Conv2d(3, 4, 3), new Flatten());
        var error = Assert.Throws<ArgumentException>(() => new TransferNetwork(plain, 3));
        Assert.Contains("Sequential cannot serve as a backbone", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
