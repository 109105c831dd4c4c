using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;

namespace AutoNet.Training.Tests;

using Torch = AutoNet.Torch.Torch;

public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-ckpt-{Guid.NewGuid():N}");

    [Fact]
    public void A_saved_checkpoint_restores_weights_optimizer_schedule_and_generator()
    {
        Torch.ManualSeed(1);
        using var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        using var optimizer = new SGD(model.Parameters(), learningRate: 0.1, momentum: 0.9);
        var schedule = new WarmupCosineLR(optimizer, warmupSteps: 2, totalSteps: 20);
        Step(model, optimizer, schedule, 3);
        var history = new[] { new EpochMetrics(1, 1.5, 0.4, 1.4, 0.5, null, 0.1, 2.0, 1000) };
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 1, 0, history));
        using var expectedNoise = Torch.Rand([5]);
        Step(model, optimizer, schedule, 2);
        var expectedWeights = model.StateDict().Select(p => p.Value.Detach().Clone()).ToArray();

        Torch.ManualSeed(99);
        using var restored = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        using var restoredOptimizer = new SGD(restored.Parameters(), learningRate: 0.1, momentum: 0.9);
        var restoredSchedule = new WarmupCosineLR(restoredOptimizer, warmupSteps: 2, totalSteps: 20);
        var info = TrainingCheckpoint.Load(folder, restored, restoredOptimizer, restoredSchedule);
        using var noise = Torch.Rand([5]);
        Step(restored, restoredOptimizer, restoredSchedule, 2);

        Assert.Equal(1, info.Epoch);
        Assert.Equal(3, info.ScheduleStep);
        Assert.Equal(history, info.History);
        Assert.Equal(expectedNoise.ToArray<float>(), noise.ToArray<float>());
        var actualWeights = restored.StateDict().Select(p => p.Value).ToArray();
        for (var i = 0; i < expectedWeights.Length; i++)
        {
            Assert.Equal(expectedWeights[i].ToArray<float>(), actualWeights[i].ToArray<float>());
            expectedWeights[i].Dispose();
        }
    }

    [Fact]
    public void A_crash_between_the_renames_of_a_save_leaves_the_previous_checkpoint_readable()
    {
        using var model = new Linear(2, 2);
        using var optimizer = new AdamW(model.Parameters());
        var schedule = new WarmupCosineLR(optimizer, 0, 10);
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 4, 0, []));
        Directory.Move(folder, folder + ".previous");

        Assert.True(TrainingCheckpoint.Exists(folder));
        Assert.Equal(4, TrainingCheckpoint.Load(folder, model, optimizer, schedule).Epoch);
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 5, 0, []));
        Assert.Equal(5, TrainingCheckpoint.Load(folder, model, optimizer, schedule).Epoch);
        Assert.False(Directory.Exists(folder + ".previous"));
    }

    [Fact]
    public void A_missing_checkpoint_is_reported_with_its_folder()
    {
        using var model = new Linear(2, 2);
        using var optimizer = new AdamW(model.Parameters());
        var schedule = new WarmupCosineLR(optimizer, 0, 10);

        var error = Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Load(folder, model, optimizer, schedule));

        Assert.Contains(folder, error.Message);
        Assert.False(TrainingCheckpoint.Exists(folder));
    }

    public void Dispose()
    {
        foreach (var path in new[] { folder, folder + ".previous" })
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private static void Step(Module model, Optimizer optimizer, LRScheduler schedule, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = Torch.NewDisposeScope();
            var input = Torch.Randn([8, 4]);
            var loss = model.Forward(input).Pow(2).Mean();
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            schedule.Step();
        }
    }
}
