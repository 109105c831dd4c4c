namespace AutoNet.Store.Tests;

/// <summary>
/// The leases that keep a trial on one worker: the retry limit counts runs that never ended (a worker that keeps
/// dying), not promotions; and on PostgreSQL every machine's lease times are the server's, so clients whose clocks
/// disagree by minutes still agree on whose heartbeat is fresh.
/// </summary>
public sealed class TrialLeaseTests
{
    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Runs_that_ended_in_order_do_not_count_toward_the_limit_a_dying_worker_reaches(StoreEngine engine)
    {
        var clock = new ManualTimeProvider();
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync(clock);
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));

        // Three rungs of ASHA: claimed, trained, handed back each time.
        for (var rung = 1; rung <= 3; rung++)
        {
            var claimed = (await store.ClaimTrialAsync(trial.Id, $"w{rung}", "cpu", TimeSpan.FromMinutes(1)))!;
            Assert.Equal(1, claimed.UnendedRuns);
            await store.ReleaseTrialAsync(trial.Id, $"w{rung}");
        }

        Assert.Equal(0, (await store.GetTrialAsync(trial.Id))!.UnendedRuns);
        await store.ClaimTrialAsync(trial.Id, "dies", "cpu", TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(5));
        var recovery = await store.RequeueStaleTrialsAsync(TimeSpan.FromMinutes(1), maxAttempts: 2);

        Assert.Equal([trial.Id], recovery.Requeued);
        Assert.Empty(recovery.Failed);
        var requeued = (await store.GetTrialAsync(trial.Id))!;
        Assert.Equal(4, requeued.Attempts);
        Assert.Equal(1, requeued.UnendedRuns);

        // Taken over once more and lost again: the second unended run in a row reaches the limit of two.
        Assert.Equal(2, (await store.ClaimTrialAsync(trial.Id, "dies-too", "cpu", TimeSpan.FromMinutes(1)))!.UnendedRuns);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([trial.Id], (await store.RequeueStaleTrialsAsync(TimeSpan.FromMinutes(1), maxAttempts: 2)).Failed);
        Assert.Contains("2 attempts", (await store.GetTrialAsync(trial.Id))!.FailureReason);
    }

    [Theory, PostgresData]
    public async Task On_postgres_clients_whose_clocks_disagree_by_minutes_agree_on_a_live_lease(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        // Two machines: one whose clock is right, one ten minutes ahead.
        var right = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var ahead = new ManualTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10));
        await using var first = await place.OpenAsync(right);
        await using var second = await place.OpenAsync(ahead);
        var experiment = await first.CreateExperimentAsync(Samples.Experiment());
        var trial = await first.AddTrialAsync(experiment.Id, Samples.Trial(1));

        Assert.NotNull(await first.ClaimTrialAsync(trial.Id, "on-time", "cpu", TimeSpan.FromSeconds(30)));
        Assert.True(await first.HeartbeatAsync(trial.Id, "on-time"));

        // By its own clock the heartbeat is ten minutes old; by the server's it is fresh.
        Assert.Null(await second.ClaimTrialAsync(trial.Id, "ahead", "cpu", TimeSpan.FromSeconds(30)));
        Assert.Empty((await second.RequeueStaleTrialsAsync(TimeSpan.FromSeconds(30), maxAttempts: 3)).Requeued);
        var held = (await second.GetTrialAsync(trial.Id))!;
        Assert.Equal("on-time", held.WorkerId);
        Assert.InRange(held.HeartbeatAt!.Value, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
    }
}
