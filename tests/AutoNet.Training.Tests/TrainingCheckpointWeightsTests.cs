using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests;

/// <summary><see cref="TrainingCheckpoint.LoadWeights"/>: the weights alone, as export and evaluation need them.</summary>
public sealed class TrainingCheckpointWeightsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-ckpt-weights-{Guid.NewGuid():N}");

    [Fact]
    public void Loading_only_the_weights_gives_a_fresh_model_the_saved_ones_also_from_the_copy_a_crash_left()
    {
        torch.manual_seed(1);
        using var model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2));
        using var optimizer = new FinalizerSafeAdamW(model.parameters());
        var schedule = new WarmupCosineSchedule(optimizer, 0, 10);
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 2, 0, []));
        Directory.Move(folder, folder + ".previous");

        torch.manual_seed(99);
        using var restored = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2));
        var info = TrainingCheckpoint.LoadWeights(folder, restored);

        Assert.Equal(2, info.Epoch);
        var expected = model.state_dict().ToList();
        var actual = restored.state_dict().ToList();
        Assert.Equal(expected.Select(p => p.Key), actual.Select(p => p.Key));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Value.data<float>().ToArray(), actual[i].Value.data<float>().ToArray());
        }
    }

    [Fact]
    public void Loading_weights_from_a_folder_without_a_checkpoint_names_the_folder()
    {
        using var model = nn.Linear(2, 2);

        var error = Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.LoadWeights(folder, model));

        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
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
}
