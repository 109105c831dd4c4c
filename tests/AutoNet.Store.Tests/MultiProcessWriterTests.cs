using System.Diagnostics;

namespace AutoNet.Store.Tests;

/// <summary>Several processes open one fresh store at once and write to it: nothing is locked out, lost or doubled.</summary>
public sealed class MultiProcessWriterTests
{
    private const int Processes = 4;
    private const int TrialsPerProcess = 15;

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_writer_processes_lose_and_duplicate_nothing(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        var children = Enumerable.Range(0, Processes).Select(p => Start(place.Location, $"proc-{p}")).ToList();
        var outputs = await Task.WhenAll(children.Select(async child =>
        {
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, $"writer exited with {child.ExitCode}: {await stderr}");
            return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
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

        Assert.Equal(2, await place.ScalarAsync("SELECT COUNT(*) FROM autonet_schema_version"));
    }

    private static Process Start(string location, string worker)
    {
        // The test host runs under the dotnet muxer; use the same one rather than whatever PATH finds.
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.ArgumentList.Add("writer");
        info.ArgumentList.Add(location);
        info.ArgumentList.Add(worker);
        info.ArgumentList.Add(TrialsPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }
}
