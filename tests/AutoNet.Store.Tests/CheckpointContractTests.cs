namespace AutoNet.Store.Tests;

/// <summary>
/// What the store keeps for workers that share no disk: checkpoints (written by the running owner only, replaced
/// whole, read back intact) and an experiment's inputs (pretrained weights, a model package) by the path its space names.
/// </summary>
public sealed class CheckpointContractTests
{
    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task The_owner_keeps_a_checkpoint_that_a_later_epoch_replaces_and_nobody_else_may_write(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        Assert.Null(await store.LoadCheckpointAsync(trial.Id));

        await store.ClaimTrialAsync(trial.Id, "w1", "cpu", TimeSpan.FromMinutes(1));
        var first = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await store.SaveCheckpointAsync(trial.Id, "w1", 1, first);
        var second = first.Reverse().Concat(new byte[] { 1, 2, 3 }).ToArray();
        await store.SaveCheckpointAsync(trial.Id, "w1", 2, second);
        await Assert.ThrowsAsync<TrialOwnershipException>(() => store.SaveCheckpointAsync(trial.Id, "intruder", 3, new byte[] { 9 }));

        var kept = (await store.LoadCheckpointAsync(trial.Id))!;
        Assert.Equal(2, kept.Epoch);
        Assert.Equal(second, kept.Archive);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(second)), kept.Sha256);

        // Handed back, the trial belongs to no one: its old owner may not overwrite what the next one resumes from.
        await store.ReleaseTrialAsync(trial.Id, "w1");
        await Assert.ThrowsAsync<TrialOwnershipException>(() => store.SaveCheckpointAsync(trial.Id, "w1", 3, new byte[] { 9 }));
        Assert.Equal(2, (await store.LoadCheckpointAsync(trial.Id))!.Epoch);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task An_experiments_input_is_kept_by_its_path_replaced_whole_and_refused_for_an_unknown_experiment(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        Assert.Null(await store.LoadInputAsync(experiment.Id, "/weights/resnet18.pth"));

        await store.SaveInputAsync(experiment.Id, "/weights/resnet18.pth", isFolder: false, new byte[] { 1, 2, 3 });
        await store.SaveInputAsync(experiment.Id, "/packages/first", isFolder: true, new byte[] { 4 });
        await store.SaveInputAsync(experiment.Id, "/weights/resnet18.pth", isFolder: false, new byte[] { 5, 6 });

        var weights = (await store.LoadInputAsync(experiment.Id, "/weights/resnet18.pth"))!;
        Assert.False(weights.IsFolder);
        Assert.Equal(new byte[] { 5, 6 }, weights.Archive);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 5, 6 })), weights.Sha256);
        Assert.True((await store.LoadInputAsync(experiment.Id, "/packages/first"))!.IsFolder);
        await Assert.ThrowsAsync<ExperimentStoreException>(() => store.SaveInputAsync(experiment.Id + 99, "/weights/x.pth", isFolder: false, new byte[] { 1 }));
    }
}
