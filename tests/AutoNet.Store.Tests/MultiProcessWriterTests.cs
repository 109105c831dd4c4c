namespace AutoNet.Store.Tests;

/// <summary>Several processes open one fresh store at once and write to it: nothing is locked out, lost or doubled.</summary>
public sealed class MultiProcessWriterTests
{
    private const int Processes = 4;
    private const int TrialsPerProcess = 15;

    // LiteDB 5.0.21 deadlocks here (writer processes wait for ever, none inside an operation): the evidence that kept
    // SQLite the default embedded store (README, "The embedded store: why SQLite"). Skipped, not removed, so it is seen.
    [Theory, SqliteData, LiteDbData(Skip = "LiteDB 5.0.21: several writer processes on one file deadlock; see the README's embedded store section"), PostgresData]
    public async Task Concurrent_writer_processes_lose_and_duplicate_nothing(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        var count = TrialsPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var children = Enumerable.Range(0, Processes).Select(p => ChildProcess.Start($"writer {p}", "writer", place.Location, $"proc-{p}", count)).ToList();
        var outputs = await Task.WhenAll(children.Select(async child =>
        {
            var stderr = await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, $"writer exited with {child.ExitCode}: {stderr}");
            return child.Lines.Select(l => long.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }));
        foreach (var child in children)
        {
            child.Dispose();
        }

        await using var store = await place.OpenAsync();
        var experiment = (await store.GetExperimentAsync(StoreWriter.ExperimentName))!;
        var trials = await store.ListTrialsAsync(experiment.Id);
        Assert.Equal(Processes * TrialsPerProcess, trials.Count);
        Assert.Equal(Enumerable.Range(1, trials.Count).Select(n => (long)n), trials.Select(t => t.Number));
        var ran = outputs.SelectMany(o => o).ToList();
        Assert.Equal(trials.Select(t => t.Id).Order(), ran.Order());
        foreach (var trial in trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            Assert.Equal(1, trial.Attempts);
            Assert.Equal(StoreWriter.EpochsPerTrial, (await store.GetEpochMetricsAsync(trial.Id)).Count);
            Assert.Equal(StoreWriter.EpochsPerTrial, Assert.Single(await store.ListArtifactsAsync(trial.Id)).SizeBytes);
        }

        Assert.Equal(place.MigrationCount, await place.MigrationsAppliedAsync());
    }
}
