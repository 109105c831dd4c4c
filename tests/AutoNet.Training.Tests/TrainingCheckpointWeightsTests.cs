using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;
using AutoNet.Torch.Optim.Schedules;

namespace AutoNet.Training.Tests;

using Torch = AutoNet.Torch.Torch;

/// <summary><see cref="TrainingCheckpoint.LoadWeights"/>: the weights alone, as export and evaluation need them.</summary>
public sealed class TrainingCheckpointWeightsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"autonet-ckpt-weights-{Guid.NewGuid():N}");

    [Fact]
    public void Loading_only_the_weights_gives_a_fresh_model_the_saved_ones_also_from_the_copy_a_crash_left()
    {
        Torch.ManualSeed(1);
        using var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        using var optimizer = new AdamW(model.Parameters());
        var schedule = new WarmupCosineLR(optimizer, 0, 10);
        TrainingCheckpoint.Save(folder, model, optimizer, schedule, new CheckpointInfo(CheckpointInfo.CurrentFormat, 2, 0, []));
        Directory.Move(folder, folder + ".previous");

        Torch.ManualSeed(99);
        using var restored = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        var info = TrainingCheckpoint.LoadWeights(folder, restored);

        Assert.Equal(2, info.Epoch);
        var expected = model.StateDict().ToList();
        var actual = restored.StateDict().ToList();
        Assert.Equal(expected.Select(p => p.Key), actual.Select(p => p.Key));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Value.ToArray<float>(), actual[i].Value.ToArray<float>());
        }
    }

    [Fact]
    public void Loading_weights_from_a_folder_without_a_checkpoint_names_the_folder()
    {
        using var model = new Linear(2, 2);

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
