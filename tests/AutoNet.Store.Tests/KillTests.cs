using System.Globalization;

namespace AutoNet.Store.Tests;

/// <summary>
/// The embedded engines under a search's workload with kill -9: a writer process (<see cref="SearchWorkload"/>) and
/// reader processes (<see cref="StoreReader"/>) on one store file; a reader killed mid-query, the writer killed
/// mid-write and then mid-checkpoint, a third writer resuming. Nothing acknowledged may be lost, the store must open
/// consistent, every recorded checkpoint must match its hash, and the writer must keep going.
/// </summary>
public sealed class KillTests
{
    /// <summary>
    /// The longest any one store write may take. Writes take milliseconds; readers hold the store for one query (well
    /// under a second at this size). A lock never released by a killed process would hold the writer for the store's
    /// 60 s busy timeout or for ever; 30 s is far from both, and generous for a loaded 2-core machine.
    /// </summary>
    private const int StallBoundMs = 30_000;

    [Theory, SqliteData, LiteDbData]
    public async Task A_search_killed_mid_write_and_mid_checkpoint_with_a_reader_killed_mid_query_loses_nothing(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        var folder = Path.Combine(Path.GetDirectoryName(place.FilePath)!, "trials");
        using var first = ChildProcess.Start("writer 1", "search", place.Location, folder, "w1", "fast");
        await first.WaitForAsync(l => Count(l, "finish") >= 2, "two finished trials");
        using var reader = ChildProcess.Start("reader 1", "reader", place.Location);
        using var survivor = ChildProcess.Start("reader 2", "reader", place.Location);

        // A reader killed mid-query (it queries without pause); the writer must go on.
        await reader.WaitForAsync(l => Count(l, "read") >= 3, "three read rounds");
        await reader.KillAsync();
        var before = Count(first.Lines, "finish");
        await first.WaitForAsync(l => Count(l, "finish") >= before + 2, "two more finished trials after the reader's death");

        // The writer killed as a store write begins.
        var begun = first.Lines.Count;
        await first.WaitForAsync(l => l.Count > begun && l[^1].StartsWith("begin ", StringComparison.Ordinal), "a store write");
        await first.KillAsync();

        // The next writer killed while a checkpoint file is half written.
        using var second = ChildProcess.Start("writer 2", "search", place.Location, folder, "w2", "slow-checkpoint");
        await second.WaitForAsync(l => l.Any(x => x.StartsWith("writing ", StringComparison.Ordinal)), "a half-written checkpoint");
        await second.KillAsync();
        var writing = Fields(second.Lines.Last(x => x.StartsWith("writing ", StringComparison.Ordinal)));
        var (tornTrial, tornEpoch) = (long.Parse(writing[1], CultureInfo.InvariantCulture), int.Parse(writing[2], CultureInfo.InvariantCulture));
        await using (var store = await place.OpenAsync())
        {
            var previous = SearchWorkload.Latest(await store.ListArtifactsAsync(tornTrial));
            Assert.NotNull(previous);
            Assert.Equal(tornEpoch - 1, SearchWorkload.EpochOf(previous));
            Assert.True(AtomicFile.Matches(previous), $"the checkpoint before the torn one, {previous.Path}, no longer matches its recorded SHA-256");
            // The killed writer's file never reached its name; one there is whole, left by the writer before it (killed
            // between renaming it and recording it), and no record points at it.
            var torn = SearchWorkload.CheckpointPath(folder, tornTrial, tornEpoch);
            Assert.True(!File.Exists(torn) || new FileInfo(torn).Length == SearchWorkload.CheckpointBytes, "a half-written checkpoint is at its final path");
        }

        // A third writer resumes the interrupted trial from its checkpoint and finishes more.
        using var third = ChildProcess.Start("writer 3", "search", place.Location, folder, "w3", "fast");
        await third.WaitForAsync(l => Count(l, "finish") >= 2, "two finished trials after resuming");
        await third.KillAsync();
        await survivor.WaitForAsync(l => Count(l, "read") >= 3, "three read rounds");
        await survivor.KillAsync();

        var writers = new[] { first, second, third };
        var acknowledged = writers.SelectMany(w => w.Lines).ToList();
        Assert.Contains(third.Lines, l => l.StartsWith($"resumed {tornTrial} {tornEpoch - 1} intact ", StringComparison.Ordinal));
        Assert.DoesNotContain(acknowledged, l => l.Contains("BROKEN", StringComparison.Ordinal));
        Assert.DoesNotContain(reader.Lines.Concat(survivor.Lines), l => l.StartsWith("bad ", StringComparison.Ordinal));
        var slowest = acknowledged.Where(l => l.StartsWith("took ", StringComparison.Ordinal)).Select(l => Fields(l)).MaxBy(f => long.Parse(f[2], CultureInfo.InvariantCulture))!;
        Assert.True(long.Parse(slowest[2], CultureInfo.InvariantCulture) < StallBoundMs, $"a store write ({slowest[1]}) waited {slowest[2]} ms");

        await VerifyAsync(place, acknowledged);
    }

    private static async Task VerifyAsync(StoreUnderTest place, List<string> acknowledged)
    {
        Assert.Empty(await place.IntegrityProblemsAsync());
        await using var store = await place.OpenAsync();
        var experiment = (await store.GetExperimentAsync(SearchWorkload.ExperimentName))!;
        var trials = (await store.ListTrialsAsync(experiment.Id)).ToDictionary(t => t.Id);
        Assert.Equal(Enumerable.Range(1, trials.Count).Select(n => (long)n), trials.Values.Select(t => t.Number).Order());
        foreach (var line in acknowledged.Select(Fields))
        {
            var id = line.Length > 1 && long.TryParse(line[1], CultureInfo.InvariantCulture, out var v) ? v : 0;
            switch (line[0])
            {
                case "trial":
                    Assert.Equal(long.Parse(line[2], CultureInfo.InvariantCulture), trials[id].Number);
                    break;
                case "epoch":
                    var epoch = int.Parse(line[2], CultureInfo.InvariantCulture);
                    var stored = Assert.Single(await store.GetEpochMetricsAsync(id), e => e.Epoch == epoch);
                    Assert.Equal(SearchWorkload.Accuracy(id, epoch), stored.ValidationAccuracy);
                    break;
                case "ckpt":
                    var path = SearchWorkload.CheckpointPath(Path.Combine(Path.GetDirectoryName(place.FilePath)!, "trials"), id, int.Parse(line[2], CultureInfo.InvariantCulture));
                    var artifact = Assert.Single(await store.ListArtifactsAsync(id), a => a.Path == path);
                    Assert.Equal(line[3], artifact.Sha256);
                    break;
                case "finish":
                    Assert.Equal(TrialState.Completed, trials[id].State);
                    break;
            }
        }

        // Each save replaces the last; one that committed just before a kill was never acknowledged, so the state
        // held is that of a trial whose finish was (states are saved after finishes).
        var finished = acknowledged.Where(l => l.StartsWith("finish ", StringComparison.Ordinal)).Select(l => long.Parse(Fields(l)[1], CultureInfo.InvariantCulture));
        Assert.Contains(BitConverter.ToInt64(await store.LoadStrategyStateAsync(experiment.Id)), finished);
        foreach (var trial in trials.Values)
        {
            var epochs = await store.GetEpochMetricsAsync(trial.Id);
            Assert.Equal(epochs.Count == 0 ? 0 : epochs.Max(e => e.Epoch), trial.EpochsDone);
            Assert.Equal(trial.State == TrialState.Completed ? SearchWorkload.Epochs : trial.EpochsDone, epochs.Count);
            foreach (var artifact in await store.ListArtifactsAsync(trial.Id))
            {
                Assert.True(AtomicFile.Matches(artifact), $"{artifact.Path} does not match its recorded SHA-256");
            }
        }
    }

    private static int Count(IReadOnlyList<string> lines, string kind) => lines.Count(l => l.StartsWith(kind + " ", StringComparison.Ordinal));

    private static string[] Fields(string line) => line.Split(' ');
}
