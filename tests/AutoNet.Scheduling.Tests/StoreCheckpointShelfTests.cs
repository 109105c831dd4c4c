using AutoNet.Scheduling.Store;
using AutoNet.Store;

namespace AutoNet.Scheduling.Tests;

/// <summary>A checkpoint folder kept in the store comes back byte for byte into another workspace, only when it is further along.</summary>
public sealed class StoreCheckpointShelfTests
{
    [Fact]
    public async Task A_checkpoint_kept_by_one_workspace_is_restored_into_another_only_when_it_is_further_along()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("shelf", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
        var trial = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", "g", """{"epochs":3}"""));
        await store.ClaimTrialAsync(trial.Id, "w1", "cpu", TimeSpan.FromMinutes(1));
        var shelf = new StoreCheckpointShelf(store);

        var first = Path.Combine(database.Directory, "machine-a", "checkpoint");
        Write(first, epoch: 2, weights: [1, 2, 3, 4]);
        await shelf.SaveAsync(trial.Id, "w1", first, 2, default);

        // Another machine's workspace has nothing: the store's checkpoint comes back whole.
        var second = Path.Combine(database.Directory, "machine-b", "checkpoint");
        Assert.True(await shelf.RestoreAsync(trial.Id, second, default));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "model.safetensors")), File.ReadAllBytes(Path.Combine(second, "model.safetensors")));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "checkpoint.json")), File.ReadAllText(Path.Combine(second, "checkpoint.json")));
        Assert.Equal([second], Directory.GetDirectories(Path.GetDirectoryName(second)!));

        // A workspace as far along (or further) keeps its own.
        Write(second, epoch: 3, weights: [9]);
        Assert.False(await shelf.RestoreAsync(trial.Id, second, default));
        Assert.Equal([9], File.ReadAllBytes(Path.Combine(second, "model.safetensors")));
    }

    private static void Write(string directory, int epoch, byte[] weights)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.safetensors"), weights);
        File.WriteAllText(Path.Combine(directory, "checkpoint.json"), $$"""{"Format":2,"Epoch":{{epoch}},"ScheduleStep":{{epoch * 10}},"History":[]}""");
    }
}
