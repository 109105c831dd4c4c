using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Schedules;
using TorchSharp;
using static TorchSharp.torch;
using RateSchedule = AutoNet.Torch.Schedules.LearningRateSchedule;

namespace AutoNet.Training.Tests;

public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-ckpt-{Guid.NewGuid():N}");

    [Fact]
    public void A_saved_checkpoint_restores_weights_optimizer_schedule_and_generator()
    {
        torch.manual_seed(1);
        using var model = Mlp();
        using var optimizer = new FinalizerSafeSgd(model.parameters(), 0.1, momentum: 0.9);
        var schedule = new WarmupCosineSchedule(optimizer, warmupSteps: 2, totalSteps: 20);
        Step(model, optimizer, schedule, 3);
        var history = new[] { new EpochMetrics(1, 1.5, 0.4, 1.4, 0.5, null, 0.1, 2.0, 1000) };
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 1, 0, history));
        using var expectedNoise = torch.rand(5);
        Step(model, optimizer, schedule, 2);
        var expectedWeights = model.state_dict().Select(p => p.Value.detach().clone()).ToArray();
        var expectedRate = optimizer.ParamGroups.Single().LearningRate;

        torch.manual_seed(99);
        using var restored = Mlp();
        using var restoredOptimizer = new FinalizerSafeSgd(restored.parameters(), 0.1, momentum: 0.9);
        var restoredSchedule = new WarmupCosineSchedule(restoredOptimizer, warmupSteps: 2, totalSteps: 20);
        var info = TrainingCheckpoint.Load(folder, restored, restoredOptimizer, restoredSchedule);
        using var noise = torch.rand(5);
        Step(restored, restoredOptimizer, restoredSchedule, 2);

        Assert.Equal(1, info.Epoch);
        Assert.Equal(3, info.ScheduleStep);
        Assert.Equal(5, restoredSchedule.StepCount);
        Assert.Equal(expectedRate, restoredOptimizer.ParamGroups.Single().LearningRate);
        Assert.Equal(history, info.History);
        Assert.Equal(expectedNoise.data<float>().ToArray(), noise.data<float>().ToArray());
        var actualWeights = restored.state_dict().Select(p => p.Value).ToArray();
        for (var i = 0; i < expectedWeights.Length; i++)
        {
            // Bit for bit: the momentum buffers came back too, or the two steps after the restore would differ.
            Assert.Equal(expectedWeights[i].data<float>().ToArray(), actualWeights[i].data<float>().ToArray());
            expectedWeights[i].Dispose();
        }
    }

    [Fact]
    public void A_crash_between_the_renames_of_a_save_leaves_the_previous_checkpoint_readable()
    {
        using var model = nn.Linear(2, 2);
        using var optimizer = new FinalizerSafeAdamW(model.parameters());
        var schedule = new WarmupCosineSchedule(optimizer, 0, 10);
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
        using var model = nn.Linear(2, 2);
        using var optimizer = new FinalizerSafeAdamW(model.parameters());
        var schedule = new WarmupCosineSchedule(optimizer, 0, 10);

        var error = Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Load(folder, model, optimizer, schedule));

        Assert.Contains(folder, error.Message);
        Assert.False(TrainingCheckpoint.Exists(folder));
    }

    [Fact]
    public void A_checkpoint_of_another_network_names_the_file_and_the_first_tensor_that_does_not_fit()
    {
        using (var model = Mlp())
        using (var optimizer = new FinalizerSafeSgd(model.parameters(), 0.1))
        {
            TrainingCheckpoint.Save(folder, model, optimizer, new WarmupCosineSchedule(optimizer, 0, 10), new CheckpointInfo(CheckpointInfo.CurrentFormat, 1, 0, []));
        }

        using var wider = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2));
        using var widerOptimizer = new FinalizerSafeSgd(wider.parameters(), 0.1);

        var error = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(folder, wider, widerOptimizer, new WarmupCosineSchedule(widerOptimizer, 0, 10)));

        Assert.Equal(Path.Combine(folder, TrainingCheckpoint.ModelFile), error.FilePath);
        Assert.Contains("0.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_of_the_own_binding_is_refused_by_its_format()
    {
        using var model = Mlp();
        using var optimizer = new FinalizerSafeSgd(model.parameters(), 0.1);
        var schedule = new WarmupCosineSchedule(optimizer, 0, 10);
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 1, 0, []));
        var info = Path.Combine(folder, TrainingCheckpoint.InfoFile);
        File.WriteAllText(info, File.ReadAllText(info).Replace("\"Format\": 2", "\"Format\": 1", StringComparison.Ordinal));

        var error = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(folder, model, optimizer, schedule));

        Assert.Contains("format 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_save_leaves_no_staging_folder_and_its_files_are_the_snapshots()
    {
        using var model = Mlp();
        using var optimizer = new FinalizerSafeSgd(model.parameters(), 0.1, momentum: 0.9);
        var schedule = new WarmupCosineSchedule(optimizer, 0, 10);
        Step(model, optimizer, schedule, 1);

        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 1, 0, []));
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 2, 0, []));

        Assert.Equal(
            [TrainingCheckpoint.InfoFile, TrainingCheckpoint.ModelFile, TrainingCheckpoint.OptimizerFile, TrainingCheckpoint.RngFile],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Path.GetFileName(folder)], Directory.GetDirectories(Path.GetDirectoryName(folder)!, Path.GetFileName(folder) + "*").Select(Path.GetFileName));
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

    private static nn.Module<Tensor, Tensor> Mlp() => nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2));

    private static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, RateSchedule schedule, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var input = torch.randn(8, 4);
            var loss = model.forward(input).pow(2).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            schedule.Step();
        }
    }
}
