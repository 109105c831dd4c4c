using System.Text.Json.Nodes;
using AutoNet.Models.Backbones;
using AutoNet.Models.Transfer;
using AutoNet.Torch.Tests.Reference;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.Transfer;

/// <summary>
/// Transfer from weights a PyTorch user has: python3-torch writes <c>torch.save(torchvision.models.resnet18().state_dict(), path)</c>
/// with a fixed seed, AutoNet's ResNet-18 built from that .pth gives torchvision's logits and pooled features within
/// 1e-4 (logits are O(1); libtorch 2.10 here and PyTorch 1.13 there sum convolutions in different orders, which
/// leaves differences around 1e-5), and the trainer's head-only epoch on top of it leaves the .pth's weights in place.
/// </summary>
public sealed class TorchvisionPthTransferTests : IDisposable
{
    private const long Seed = 20261124;
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-pth-transfer-").FullName;

    [Fact]
    public void A_resnet18_from_a_torchvision_pth_gives_torchvisions_logits_and_transfers_with_its_features_frozen()
    {
        var path = Path.Combine(folder, "resnet18.pth");
        torch.manual_seed(5);
        using var input = torch.randn(2, 3, 64, 64);
        var reply = PythonReference.Run("torchvision_pth_reference.py", new JsonObject
        {
            ["path"] = path,
            ["seed"] = Seed,
            ["input"] = PythonReference.Encode(input),
        });
        using var expectedLogits = PythonReference.Decode(reply["logits"]!);
        using var expectedFeatures = PythonReference.Decode(reply["features"]!);

        // Not disposed here: the transfer network below owns it.
        var backbone = BackboneFactory.Load("resnet18", path);
        backbone.eval();
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            TensorAssert.Close(expectedLogits, backbone.forward(input), rtol: 0, atol: 1e-4, what: "resnet18 logits from the .pth");
            var features = FeatureExtractor.From(backbone).ForwardFeatures(input);
            TensorAssert.Close(expectedFeatures, features, rtol: 0, atol: 1e-4, what: "resnet18 pooled features from the .pth");
        }

        // Transfer: a new head for 2 classes on the .pth's features, one head-only epoch through the trainer.
        torch.manual_seed(1);
        using var network = new TransferNetwork(FeatureExtractor.From(backbone), TransferHead.Linear(), numClasses: 2, freezeFraction: 1);
        using var data = RandomImages(count: 24, classes: 2);
        var trainer = new TrialTrainer(network, data.Trial, new TrainingHyperparameters { Epochs = 1, HeadOnlyEpochs = 1, BatchSize = 8, Seed = 3, TestTimeFlip = false },
            new TrialTrainerOptions { CheckpointDirectory = Path.Combine(folder, "checkpoint") });

        var outcome = trainer.Train(1);

        Assert.Equal(1, outcome.EpochsCompleted);
        Assert.True(double.IsFinite(outcome.History[0].TrainLoss));
        using var pth = ModuleWeights.Read(path);
        var state = network.state_dict();
        foreach (var (name, tensor) in pth.Tensors.Where(p => !p.Key.StartsWith("fc.", StringComparison.Ordinal)))
        {
            Assert.True(tensor.Equals(state["backbone." + name]), $"backbone.{name} is not the .pth's after the head-only epoch");
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static RandomData RandomImages(int count, int classes)
    {
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        var images = torch.randint(0, 256, [count, 3, 32, 32], dtype: ScalarType.Byte).DetachFromDisposeScope();
        var labels = (torch.arange(count) % classes).DetachFromDisposeScope();
        return new RandomData(images, labels, classes);
    }

    private sealed class RandomData : IDisposable
    {
        private readonly Tensor images;
        private readonly Tensor labels;

        public RandomData(Tensor images, Tensor labels, int classes)
        {
            this.images = images;
            this.labels = labels;
            Trial = new TrialData(images, labels, images, labels, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray(),
                [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        }

        public TrialData Trial { get; }

        public void Dispose()
        {
            images.Dispose();
            labels.Dispose();
        }
    }
}
