using System.Diagnostics;
using Xunit.Abstractions;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// Crash and resume with real processes: a worker process on the PostgreSQL job queue is killed with SIGKILL
/// mid-trial and another started; the jobs the dead one had fetched become visible again once its keep-alive stops
/// (Hangfire.PostgreSql's sliding invisibility), the store lets the new process take over the dead one's trials once
/// their heartbeat is stale, and every trial ends exactly once.
/// </summary>
public sealed class WorkerProcessTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task A_worker_killed_with_sigkill_and_restarted_finishes_every_trial_exactly_once()
    {
        const int Trials = 60;
        using var server = PostgresServer.Start();
        using var database = new TestDatabase();
        var ledger = new SqliteTrialLedger(database.ConnectionString);
        // Only a client here: the worker processes run the jobs.
        var dispatcher = Workers.Dispatcher(Jobs.TrialJobStorage.Postgres(server.ConnectionString));
        for (var i = 0; i < Trials; i++)
        {
            var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", $"g{i}", "{}", MaxEpochs: 3), default);
            await dispatcher.DispatchAsync(1, id, number, targetEpoch: 3, maxEpochs: 3, default);
        }

        var kills = 0;
        var clock = Stopwatch.StartNew();
        while (Ended(ledger) < Trials)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"only {Ended(ledger)} of {Trials} trials ended");
            using var process = StartWorker(database.Path_, server.ConnectionString, $"w{kills + 1}");
            var endedAtStart = Ended(ledger);
            while (Ended(ledger) < Math.Min(Trials, endedAtStart + 12) && !process.HasExited)
            {
                await Task.Delay(20);
            }

            if (kills < 2 && Ended(ledger) < Trials)
            {
                process.Kill();
                await process.WaitForExitAsync();
                kills++;
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: killed the worker with {Ended(ledger)} of {Trials} trials ended");
                continue;
            }

            while (Ended(ledger) < Trials && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(50);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var audit = ledger.Audit();
        Assert.Equal(2, kills);
        Assert.All(audit, r =>
        {
            Assert.Equal(1, r.Finishes);
            Assert.Equal("Completed", r.EndState);
            Assert.Equal(3, r.Epochs);
        });
        output.WriteLine($"{Trials} trials, {kills} kills: {audit.Count(r => r.Claims > 1)} trials were taken over after a kill; {clock.Elapsed.TotalSeconds:F1} s");
    }

    [PostgresFact]
    public async Task A_trial_that_kills_its_worker_each_time_fails_at_the_limit_while_the_others_complete()
    {
        const int Trials = 6;
        using var server = PostgresServer.Start();
        using var database = new TestDatabase();
        var ledger = new SqliteTrialLedger(database.ConnectionString);
        var dispatcher = Workers.Dispatcher(Jobs.TrialJobStorage.Postgres(server.ConnectionString));
        long poison = 0;
        for (var i = 0; i < Trials; i++)
        {
            var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", $"g{i}", "{}", MaxEpochs: 2), default);
            poison = i == 0 ? id : poison;
            await dispatcher.DispatchAsync(1, id, number, targetEpoch: 2, maxEpochs: 2, default);
        }

        // One slot, so the poison trial's crashes interrupt no other trial. Without the limit on runs that never
        // ended, Hangfire would hand the poison trial to every new worker for ever.
        var starts = 0;
        var clock = Stopwatch.StartNew();
        while (Ended(ledger) < Trials)
        {
            Assert.True(starts < 8 && clock.Elapsed < TimeSpan.FromSeconds(120), $"{starts} worker starts, {Ended(ledger)} of {Trials} trials ended");
            using var process = StartWorker(database.Path_, server.ConnectionString, $"w{++starts}", slots: 1, poison);
            while (!process.HasExited && Ended(ledger) < Trials)
            {
                await Task.Delay(20);
            }

            if (!process.HasExited)
            {
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: worker {starts} exited with {process.ExitCode}; {Ended(ledger)} of {Trials} trials ended");
        }

        var audit = ledger.Audit();
        Assert.All(audit, r => Assert.Equal(1, r.Finishes));
        var failed = Assert.Single(audit, r => r.Id == poison);
        Assert.Equal("Failed", failed.EndState);
        Assert.Contains("died during each of its last 3 runs", ledger.Reason(poison));
        Assert.All(audit.Where(r => r.Id != poison), r => Assert.Equal("Completed", r.EndState));
        Assert.Equal(4, starts);
    }

    private static int Ended(SqliteTrialLedger ledger) => ledger.Audit().Count(r => r.EndState is not null);

    private static Process StartWorker(string databasePath, string connectionString, string workerId, int slots = 4, long? poison = null)
    {
        // The worker project builds beside this one: same configuration, same target framework.
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("AutoNet.Scheduling.Tests", "AutoNet.Scheduling.TestWorker", StringComparison.Ordinal),
            "AutoNet.Scheduling.TestWorker.dll");
        var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" \"{databasePath}\" \"{connectionString}\" {workerId} {slots} 30{(poison is { } p ? $" {p}" : "")}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var line = process.StandardOutput.ReadLine();
        if (line != "started")
        {
            throw new InvalidOperationException($"the worker process did not start: {line}{process.StandardError.ReadToEnd()}");
        }

        return process;
    }
}
