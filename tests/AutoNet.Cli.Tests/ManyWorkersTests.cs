using System.Globalization;
using System.Text.Json;
using AutoNet.Store;
using Npgsql;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Several machines on one PostgreSQL store, as the README tour's "Add a worker machine" step runs them: one `autonet search
/// --remote-slots 2` controller and two `autonet worker` processes on loopback, real training of tiny networks on a
/// 1,200-image Fashion-MNIST folder, and one worker killed with kill -9 in the middle of a trial. Each process has a
/// workspace of its own, as machines with no shared disk would: the killed trial's checkpoint reaches the process that
/// finishes it through the store.
/// </summary>
public sealed class ManyWorkersTests(FashionMnistFolder data, ITestOutputHelper output) : IClassFixture<FashionMnistFolder>, IAsyncLifetime
{
    private const int Trials = 4;
    private const int EpochsPerTrial = 3;

    private readonly string workspace = Directory.CreateTempSubdirectory("autonet-many-ws-").FullName;
    private readonly string database = "autonet_many_" + Guid.NewGuid().ToString("N");
    private readonly List<CliProcess> processes = [];

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    private static string Server => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!;

    private string StoreLocation => new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)))
        {
            await ExecuteOnServerAsync($"CREATE DATABASE {database}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)))
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }

        Directory.Delete(workspace, recursive: true);
    }

    [PostgresFact]
    public async Task A_worker_killed_mid_trial_leaves_its_trial_to_another_process_and_every_trial_ends_exactly_once()
    {
        // FIFO: every trial trains its 3 epochs. The controller trains on one slot and keeps two more trials queued
        // for the workers, so three of the four trials run at once, one per process.
        var search = Launch("search", "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "fifo",
            "--max-trials", Trials.ToString(CultureInfo.InvariantCulture), "--experiment", "many", "--seed", "11", "--device", "cpu",
            "--remote-slots", "2", "--store", StoreLocation, "--workspace", workspace, "--json");
        await using var store = await WaitForStoreAsync(search);
        var experiment = await WaitForAsync(TimeSpan.FromMinutes(3), async () =>
            await store.GetExperimentAsync("many") is { State: ExperimentState.Running } e ? e : null, "the experiment to start running");

        // A second coordinator for the running experiment, from another machine's workspace, is refused naming the process that runs it.
        // (Not launched with the others: their watch fails on any process that exits, and this one must.)
        using var second = CliProcess.Start("second coordinator", CliDll, ["search", "--resume", "many", "--device", "cpu", "--store", StoreLocation,
            "--workspace", Path.Join(workspace, "second-machine")]);
        Assert.True(await second.WaitForExitAsync(TimeSpan.FromMinutes(2)), "the second coordinator did not stop\n" + second.Transcript);
        Assert.True(second.ExitCode == 1, second.Transcript);
        Assert.Contains($"already run by autonet on {Environment.MachineName} (process {search.Id})", second.Transcript);

        // Each worker decodes the images into a cache of its own, in a workspace of its own.
        var workers = new[] { Launch("worker 1", WorkerArguments(1)), Launch("worker 2", WorkerArguments(2)) };
        var held = await WaitForAsync(TimeSpan.FromMinutes(4), async () =>
            (await store.ListTrialsAsync(experiment.Id, TrialState.Running)).FirstOrDefault(t => t.EpochsDone >= 1 && workers.Any(w => OwnedBy(t, w))),
            "a worker process to be running a trial with at least one epoch stored");
        var victim = workers.Single(w => OwnedBy(held, w));

        victim.KillHard();
        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(30)), Transcripts());
        Assert.Equal(137, victim.ExitCode);
        // Read after the kill: the epochs the dead worker stored (one or more) are what the next process must keep.
        var killedTrial = (await store.GetTrialAsync(held.Id))!;
        var epochsBefore = await store.GetEpochMetricsAsync(held.Id);
        output.WriteLine($"killed {victim.Name} (pid {victim.Id}) in trial {held.Number} after {epochsBefore.Count} epoch(s); owner {killedTrial.WorkerId}");
        Assert.NotEmpty(epochsBefore);
        Assert.InRange(epochsBefore.Count, 1, EpochsPerTrial - 1);

        // The dead worker's job comes back to the queue 30 s after its keep-alive stops and the store sees its
        // heartbeat go stale (30 s) before another process takes the trial over: generous, but a stuck search fails
        // rather than hangs.
        Assert.True(await search.WaitForExitAsync(TimeSpan.FromMinutes(8)), "the search did not finish within 8 minutes\n" + Transcripts());
        Assert.True(search.ExitCode == 0, Transcripts());
        var survivor = workers.Single(w => w != victim);
        survivor.Interrupt();
        Assert.True(await survivor.WaitForExitAsync(TimeSpan.FromMinutes(1)), "the surviving worker did not stop on Ctrl-C\n" + Transcripts());
        Assert.True(survivor.ExitCode == 130, Transcripts());
        output.WriteLine(string.Concat(workers.Select(w => w.Transcript)));

        Assert.Equal(ExperimentState.Completed, (await store.GetExperimentAsync("many"))!.State);
        var trials = await store.ListTrialsAsync(experiment.Id);
        // Every trial once: numbers 1..4 with no gap or repeat, each Completed with its epochs 1..3 stored once.
        Assert.Equal(Enumerable.Range(1, Trials).Select(n => (long)n), trials.Select(t => t.Number));
        Assert.Equal(Trials, await ScalarAsync($"SELECT COUNT(*) FROM trials WHERE experiment_id = {experiment.Id}"));
        Assert.Equal(Trials * EpochsPerTrial,
            await ScalarAsync($"SELECT COUNT(*) FROM epoch_metrics m JOIN trials t ON t.id = m.trial_id WHERE t.experiment_id = {experiment.Id}"));
        foreach (var trial in trials)
        {
            Assert.True(trial.State == TrialState.Completed, $"trial {trial.Number} is {trial.State}: {trial.FailureReason}\n{Transcripts()}");
            Assert.Equal(EpochsPerTrial, trial.EpochsDone);
            var epochs = await store.GetEpochMetricsAsync(trial.Id);
            Assert.Equal(Enumerable.Range(1, EpochsPerTrial), epochs.Select(e => e.Epoch));
            Assert.Equal(epochs.Max(e => e.ValidationAccuracy), trial.BestValidationAccuracy);
            Assert.NotNull(trial.TestAccuracy);
            Assert.False(OwnedBy(trial, victim), $"trial {trial.Number} was last run by the killed worker {trial.WorkerId}");
        }

        // Every trial's last checkpoint is kept in the store, as far as it trained.
        Assert.Equal(Trials, await ScalarAsync(
            $"SELECT COUNT(*) FROM trial_checkpoints c JOIN trials t ON t.id = c.trial_id WHERE t.experiment_id = {experiment.Id} AND c.epoch = {EpochsPerTrial}"));

        // The killed trial was finished by another process, from its checkpoint: the epochs the dead worker stored
        // are unchanged (trained again from scratch, they would have been overwritten with new timings), and it was
        // claimed exactly twice. The trials nobody interrupted were claimed once.
        var recovered = trials.Single(t => t.Id == held.Id);
        Assert.NotEqual(killedTrial.WorkerId, recovered.WorkerId);
        Assert.Equal(epochsBefore, (await store.GetEpochMetricsAsync(recovered.Id)).Take(epochsBefore.Count));
        Assert.Equal(2, recovered.Attempts);
        Assert.All(trials.Where(t => t.Id != held.Id), t => Assert.Equal(1, t.Attempts));

        using var summary = JsonDocument.Parse(search.Stdout);
        Assert.Equal("Completed", summary.RootElement.GetProperty("state").GetString());
        Assert.Equal(Trials, summary.RootElement.GetProperty("trials").GetProperty("total").GetInt32());
        Assert.Equal(Trials, summary.RootElement.GetProperty("trials").GetProperty("completed").GetInt32());
        Assert.Equal(Trials * EpochsPerTrial, summary.RootElement.GetProperty("trials").GetProperty("epochs").GetInt32());
    }

    private static bool OwnedBy(Trial trial, CliProcess process) =>
        trial.WorkerId is { } owner && owner.StartsWith($"{Environment.MachineName}-{process.Id.ToString(CultureInfo.InvariantCulture)}#", StringComparison.Ordinal);

    private string[] WorkerArguments(int machine) =>
        ["worker", "--store", StoreLocation, "--workspace", Path.Join(workspace, $"machine-{machine}"), "--experiment", "many", "--device", "cpu"];

    private CliProcess Launch(string name, params string[] arguments)
    {
        var process = CliProcess.Start(name, CliDll, arguments);
        processes.Add(process);
        return process;
    }

    /// <summary>The store, once the controller has created its schema (a store opened earlier could race its migration).</summary>
    private async Task<IExperimentStore> WaitForStoreAsync(CliProcess search) =>
        await WaitForAsync(TimeSpan.FromMinutes(2), async () =>
        {
            if (await ScalarAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'experiments'") == 0)
            {
                Assert.False(search.HasExited, "the search exited before creating its store\n" + Transcripts());
                return null;
            }

            return await ExperimentStore.OpenAsync(StoreLocation);
        }, "the search to create its store");

    private async Task<T> WaitForAsync<T>(TimeSpan timeout, Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            var exited = processes.FirstOrDefault(p => p.HasExited);
            Assert.True(exited is null, $"waiting for {what}: {exited?.Name} exited\n{Transcripts()}");
            Assert.True(DateTime.UtcNow < deadline, $"waited {timeout.TotalMinutes} minutes for {what}\n{Transcripts()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(StoreLocation);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string Transcripts() => string.Concat(processes.Select(p => p.Transcript));
}
