using AutoNet.Torch.Modules;
using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Schedules;
using AutoNet.Torch.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Training;

/// <summary>
/// Checkpoint resume equals straight training: weights, optimizer state and the generator (dropout draws from it)
/// saved mid-way with <see cref="TrainingSnapshot"/>, loaded into freshly built objects, give bit-identical parameters.
/// </summary>
[Collection(LiveTensorCollection.Name)]
public sealed class TrainingSnapshotTests : IDisposable
{
    private const int Steps = 20;
    private const int Half = 10;

    private readonly string folder = Directory.CreateTempSubdirectory("autonet-snapshot-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void Training_resumed_from_a_snapshot_ends_with_the_same_parameters_as_straight_training(string kind)
    {
        var (inputs, labels) = Batches();
        torch.manual_seed(1);
        using var straight = Model();
        using var straightOptimizer = Optimizer(kind, straight);
        var straightSchedule = new OneCycleSchedule(straightOptimizer, 0.05, Steps);
        for (var s = 0; s < Steps; s++)
        {
            Step(straight, straightOptimizer, straightSchedule, inputs[s], labels[s]);
        }

        torch.manual_seed(1);
        long scheduleStep;
        using (var first = Model())
        using (var firstOptimizer = Optimizer(kind, first))
        {
            var firstSchedule = new OneCycleSchedule(firstOptimizer, 0.05, Steps);
            for (var s = 0; s < Half; s++)
            {
                Step(first, firstOptimizer, firstSchedule, inputs[s], labels[s]);
            }

            TrainingSnapshot.Save(folder, first, firstOptimizer);
            scheduleStep = firstSchedule.StepCount;
        }

        // A fresh process would start from other weights and another generator state.
        torch.manual_seed(99);
        using var resumed = Model();
        using var resumedOptimizer = Optimizer(kind, resumed);
        var resumedSchedule = new OneCycleSchedule(resumedOptimizer, 0.05, Steps);
        TrainingSnapshot.Load(folder, resumed, resumedOptimizer);
        resumedSchedule.Restore(scheduleStep);
        for (var s = Half; s < Steps; s++)
        {
            Step(resumed, resumedOptimizer, resumedSchedule, inputs[s], labels[s]);
        }

        var expected = straight.state_dict();
        foreach (var (name, actual) in resumed.state_dict())
        {
            Assert.True(expected[name].equal(actual).all().item<bool>(), $"{kind}: {name} differs from straight training");
        }

        Dispose(inputs, labels);
    }

    [Fact]
    public void Without_the_generator_state_dropout_draws_differ_and_so_do_the_parameters()
    {
        // Guards the test above: the generator state must matter for this model.
        var (inputs, labels) = Batches();
        torch.manual_seed(1);
        using var a = Model();
        using var aOptimizer = Optimizer("sgd", a);
        var aSchedule = new StepDecaySchedule(aOptimizer, 5);
        TrainingSnapshot.Save(folder, a, aOptimizer);
        using var b = Model();
        using var bOptimizer = Optimizer("sgd", b);
        var bSchedule = new StepDecaySchedule(bOptimizer, 5);
        TrainingSnapshot.Load(folder, b, bOptimizer);
        torch.manual_seed(2);
        Step(b, bOptimizer, bSchedule, inputs[0], labels[0]);
        torch.manual_seed(3);
        Step(a, aOptimizer, aSchedule, inputs[0], labels[0]);

        Assert.False(a.state_dict()["0.weight"].equal(b.state_dict()["0.weight"]).all().item<bool>());
        Dispose(inputs, labels);
    }

    [Fact]
    public void A_snapshot_of_another_network_is_refused_naming_the_weights_file()
    {
        torch.manual_seed(1);
        using (var wide = nn.Sequential(nn.Conv2d(1, 6, 3)))
        using (var wideOptimizer = new FinalizerSafeSgd(wide.parameters(), 0.1))
        {
            TrainingSnapshot.Save(folder, wide, wideOptimizer);
        }

        using var model = Model();
        using var optimizer = Optimizer("sgd", model);
        var error = Assert.Throws<WeightsFileException>(() => TrainingSnapshot.Load(folder, model, optimizer));
        Assert.Equal(Path.Combine(folder, TrainingSnapshot.ModelFile), error.FilePath);
        Assert.Equal("0.weight", error.Field);
    }

    private static Sequential Model() => nn.Sequential(
        nn.Conv2d(1, 4, 3, padding: 1), new FreezableBatchNorm2d(4), nn.ReLU(), nn.Dropout2d(0.3), nn.Flatten(), nn.Dropout(0.2), nn.Linear(4 * 6 * 6, 3));

    private static OptimizerHelper Optimizer(string kind, Sequential model) => kind == "sgd"
        ? new FinalizerSafeSgd(model.parameters(), 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
        : new FinalizerSafeAdamW(model.parameters(), 0.05, weightDecay: 1e-2);

    private static void Step(Sequential model, OptimizerHelper optimizer, LearningRateSchedule schedule, Tensor input, Tensor label)
    {
        using var scope = torch.NewDisposeScope();
        model.train();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(input), label);
        loss.backward();
        optimizer.step();
        schedule.Step();
    }

    private static (Tensor[] Inputs, Tensor[] Labels) Batches()
    {
        torch.manual_seed(7);
        return (Enumerable.Range(0, Steps).Select(_ => torch.randn(8, 1, 6, 6)).ToArray(),
            Enumerable.Range(0, Steps).Select(_ => torch.randint(0, 3, [8])).ToArray());
    }

    private static void Dispose(Tensor[] inputs, Tensor[] labels)
    {
        foreach (var tensor in inputs.Concat(labels))
        {
            tensor.Dispose();
        }
    }
}
