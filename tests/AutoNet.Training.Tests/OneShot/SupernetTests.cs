using AutoNet.Models.MacroCnn;
using AutoNet.Torch;
using AutoNet.Torch.Modules;
using AutoNet.Training.OneShot;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.OneShot;

public sealed class SupernetTests : IDisposable
{
    private static readonly MacroCnnConfig Three = new(1, 4, [new(6, 1), new(8, 1, KernelSize: 3)]);
    private static readonly MacroCnnConfig Five = new(1, 4, [new(6, 1), new(8, 1, KernelSize: 5)]);
    private readonly TrialData data;

    public SupernetTests()
    {
        // Four classes, each a brightness level under noise: easy for any path that trains (global pooling sees it).
        using var generator = new Generator(11);
        TrialData Make(int count)
        {
            using var scope = torch.NewDisposeScope();
            var labels = torch.arange(count, ScalarType.Int64).remainder(4);
            using var level = 50.ToScalar();
            var images = torch.randint(0, 90, [count, 1, 16, 16], ScalarType.Byte, generator: generator)
                .add_(labels.mul(level).view(count, 1, 1, 1).to_type(ScalarType.Byte));

            return new TrialData(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), null!, null!, ["a", "b", "c", "d"], [0.47], [0.25]);
        }

        var train = Make(256);
        var validation = Make(128);
        data = train with { ValidationImages = validation.TrainImages, ValidationLabels = validation.TrainLabels };
    }

    public void Dispose()
    {
        data.TrainImages.Dispose();
        data.TrainLabels.Dispose();
        data.ValidationImages.Dispose();
        data.ValidationLabels.Dispose();
    }

    [Fact]
    public void Paths_trained_in_turn_teach_the_shared_weights_to_classify_with_either_path()
    {
        using var supernet = new Supernet(data, new SupernetOptions { BatchSize = 32, Seed = 1 });
        using var three = new MacroCnnNetwork(Three);
        using var five = new MacroCnnNetwork(Five);
        var untrained = supernet.Evaluate(three, 16);

        for (var step = 0; step < 80; step++)
        {
            Assert.True(double.IsFinite(supernet.TrainStep(step % 2 == 0 ? three : five, 0.05, 16)));
        }

        Assert.Equal(80, supernet.Steps);
        Assert.True(untrained < 0.5, $"untrained {untrained}");
        // Fresh networks of both paths, judged with nothing but the shared weights.
        using var judgedThree = new MacroCnnNetwork(Three);
        using var judgedFive = new MacroCnnNetwork(Five);
        Assert.True(supernet.Evaluate(judgedThree, 16) > 0.9, $"three {supernet.Evaluate(judgedThree, 16)}");
        Assert.True(supernet.Evaluate(judgedFive, 16) > 0.9, $"five {supernet.Evaluate(judgedFive, 16)}");
    }

    [Fact]
    public void Judging_recalibrates_batch_norm_on_training_images_instead_of_keeping_trained_statistics()
    {
        // Recalibration over all 256 training images in one batch: the running statistics are theirs exactly.
        using var supernet = new Supernet(data, new SupernetOptions { RecalibrationImages = 256, EvaluationBatchSize = 256, Seed = 2 });
        using var network = nn.Sequential(("norm", new FreezableBatchNorm2d(1)), ("flatten", nn.Flatten()), ("head", nn.Linear(256, 4)));
        var norm = (FreezableBatchNorm2d)network.named_children().First().module;
        using (torch.no_grad())
        {
            norm.running_mean!.fill_(5.ToScalar());
        }

        supernet.Evaluate(network, 16);

        using var normalised = data.TrainImages.to_type(ScalarType.Float32).div(255.ToScalar()).sub(0.47.ToScalar()).div(0.25.ToScalar());
        Assert.Equal(normalised.mean().item<float>(), norm.running_mean!.item<float>(), 3);
        Assert.Equal(normalised.var().item<float>(), norm.running_var!.item<float>(), 3);
    }

    [Fact]
    public void Training_and_judging_leave_no_tensor_behind()
    {
        using var supernet = new Supernet(data, new SupernetOptions { BatchSize = 32, Seed = 3 });
        using var three = new MacroCnnNetwork(Three);
        using var five = new MacroCnnNetwork(Five);
        // Counted at the end of an epoch (8 batches of 32), when the loader has no batch prefetched.
        for (var i = 0; i < 8; i++)
        {
            supernet.TrainStep(i % 2 == 0 ? three : five, 0.05, 16);
        }

        supernet.Evaluate(three, 16);
        supernet.Evaluate(three, 12);
        var before = TorchEngine.CountLiveTensors();

        for (var i = 0; i < 8; i++)
        {
            supernet.TrainStep(i % 2 == 0 ? three : five, 0.05, 16);
            supernet.Evaluate(five, i % 2 == 0 ? 16 : 12);
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }
}
