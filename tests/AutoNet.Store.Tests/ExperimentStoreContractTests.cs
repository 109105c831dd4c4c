namespace AutoNet.Store.Tests;

/// <summary>The one contract every engine meets: each theory runs on SQLite, LiteDB and PostgreSQL (the SQL migrations on the SQL engines).</summary>
public sealed class ExperimentStoreContractTests
{
    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Opening_an_empty_place_creates_the_schema_at_the_latest_version(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using (var store = await place.OpenAsync())
        {
            Assert.Equal(engine, store.Engine);
            Assert.Empty(await store.ListExperimentsAsync());
        }

        Assert.Equal(place.MigrationCount, await place.SchemaVersionAsync());
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Reopening_keeps_everything_and_applies_no_migration_twice(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        long trialId;
        await using (var store = await place.OpenAsync())
        {
            var experiment = await store.CreateExperimentAsync(Samples.Experiment());
            trialId = (await store.AddTrialAsync(experiment.Id, Samples.Trial(1))).Id;
            await store.SaveStrategyStateAsync(experiment.Id, new byte[] { 1, 2, 3 });
        }

        await using (var store = await place.OpenAsync())
        {
            var experiment = await store.GetExperimentAsync("fmnist-random");
            Assert.NotNull(experiment);
            Assert.Equal(Samples.Experiment().SearchSpaceJson, experiment.SearchSpaceJson);
            Assert.Equal(new byte[] { 1, 2, 3 }, await store.LoadStrategyStateAsync(experiment.Id));
            Assert.Equal(Samples.Trial(1).GenotypeJson, (await store.GetTrialAsync(trialId))!.GenotypeJson);
        }

        Assert.Equal(place.MigrationCount, await place.MigrationsAppliedAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_version_1_store_is_migrated_its_trials_become_search_trials_and_roles_round_trip(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        long old;
        await using (var store = await place.OpenAsync())
        {
            var experiment = await store.CreateExperimentAsync(Samples.Experiment());
            old = (await store.AddTrialAsync(experiment.Id, Samples.Trial(1))).Id;
        }

        // What a store written before trial roles (and everything after them) looked like.
        await place.ExecuteAsync("ALTER TABLE trials DROP COLUMN role");
        await place.ExecuteAsync("ALTER TABLE experiments DROP COLUMN failure_reason");
        await place.ExecuteAsync("ALTER TABLE experiments DROP COLUMN search_seconds");
        await place.ExecuteAsync("ALTER TABLE trials DROP COLUMN unended_runs");
        await place.ExecuteAsync("DROP TABLE trial_checkpoints");
        await place.ExecuteAsync("DROP TABLE experiment_inputs");
        await place.ExecuteAsync("DELETE FROM autonet_schema_version WHERE version >= 2");

        await using (var store = await place.OpenAsync())
        {
            Assert.Equal(TrialRole.Search, (await store.GetTrialAsync(old))!.Role);
            var experiment = (await store.GetExperimentAsync("fmnist-random"))!;
            var final = await store.AddTrialAsync(experiment.Id, Samples.Trial(2) with { Role = TrialRole.Final });
            Assert.Equal(TrialRole.Final, final.Role);
            Assert.Equal([TrialRole.Search, TrialRole.Final], (await store.ListTrialsAsync(experiment.Id)).Select(t => t.Role));
        }

        Assert.Equal(place.MigrationCount, await place.ScalarAsync("SELECT MAX(version) FROM autonet_schema_version"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_version_2_store_is_migrated_with_no_failure_reason_and_no_search_time_used(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using (var store = await place.OpenAsync())
        {
            await store.CreateExperimentAsync(Samples.Experiment());
        }

        // What a store written before experiments kept a failure reason and their search time looked like.
        await place.ExecuteAsync("ALTER TABLE experiments DROP COLUMN failure_reason");
        await place.ExecuteAsync("ALTER TABLE experiments DROP COLUMN search_seconds");
        await place.ExecuteAsync("ALTER TABLE trials DROP COLUMN unended_runs");
        await place.ExecuteAsync("DROP TABLE trial_checkpoints");
        await place.ExecuteAsync("DROP TABLE experiment_inputs");
        await place.ExecuteAsync("DELETE FROM autonet_schema_version WHERE version >= 3");

        await using (var store = await place.OpenAsync())
        {
            var experiment = (await store.GetExperimentAsync("fmnist-random"))!;
            Assert.Null(experiment.FailureReason);
            Assert.Equal(0, experiment.SearchSeconds);
            await store.SetSearchSecondsAsync(experiment.Id, 42);
            Assert.Equal(42, (await store.GetExperimentAsync("fmnist-random"))!.SearchSeconds);
        }
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_second_coordinator_of_an_experiment_is_refused_naming_the_holder_until_the_first_lets_go(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var a = await store.CreateExperimentAsync(Samples.Experiment("a"));
        var b = await store.CreateExperimentAsync(Samples.Experiment("b"));

        var lease = await store.HoldCoordinatorAsync(a);
        var refused = await Assert.ThrowsAsync<CoordinatorLockedException>(() => store.HoldCoordinatorAsync(a));
        Assert.Contains("'a'", refused.Message);
        Assert.Contains(Environment.MachineName, refused.Holder);
        Assert.Contains($"process {Environment.ProcessId}", refused.Holder);
        await using (await store.HoldCoordinatorAsync(b))
        {
            // Another experiment of the same store has a coordinator of its own.
        }

        await lease.DisposeAsync();
        await using (await store.HoldCoordinatorAsync(a))
        {
            // Let go: the next coordinator gets it.
        }
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_failed_experiment_keeps_its_reason_and_a_new_budget_and_the_search_time_used_round_trip(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        Assert.Null(experiment.FailureReason);
        Assert.Equal(0, experiment.SearchSeconds);

        await store.SetSearchSecondsAsync(experiment.Id, 123.5);
        await store.SetBudgetAsync(experiment.Id, """{"timeBudgetSeconds":600}""");
        await store.FailExperimentAsync(experiment.Id, "data folder /data/cats: no image decodes");

        var stored = (await store.GetExperimentAsync("fmnist-random"))!;
        Assert.Equal(ExperimentState.Failed, stored.State);
        Assert.Equal("data folder /data/cats: no image decodes", stored.FailureReason);
        Assert.Equal(123.5, stored.SearchSeconds);
        Assert.Equal("""{"timeBudgetSeconds":600}""", stored.BudgetJson);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetBudgetAsync(experiment.Id, "{not json"));
        Assert.Equal("data folder /data/cats: no image decodes", (await store.ListExperimentsAsync()).Single().Experiment.FailureReason);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetSearchSecondsAsync(experiment.Id, double.NaN));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetSearchSecondsAsync(experiment.Id, -1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.FailExperimentAsync(experiment.Id, " "));
        Assert.Equal(123.5, (await store.GetExperimentAsync("fmnist-random"))!.SearchSeconds);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Many_concurrent_opens_of_an_empty_place_migrate_exactly_once(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => place.OpenAsync())));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(place.MigrationCount, await place.MigrationsAppliedAsync());
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_store_written_by_a_newer_AutoNet_is_refused_with_a_clear_error(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await (await place.OpenAsync()).DisposeAsync();
        await place.StampVersionAsync(99);

        var error = await Assert.ThrowsAsync<StoreFormatException>(() => place.OpenAsync());
        Assert.Contains("newer AutoNet", error.Message);
        Assert.Contains("99", error.Message);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_database_with_foreign_tables_of_our_names_is_refused_and_left_untouched(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await place.AddForeignTrialsAsync();

        var error = await Assert.ThrowsAsync<StoreFormatException>(() => place.OpenAsync());
        Assert.Contains("not an AutoNet store", error.Message);
        Assert.Contains("trials", error.Message);
        Assert.Equal((7, false), await place.ForeignTrialsAsync());
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Experiment_names_are_unique_and_a_duplicate_says_so(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        await store.CreateExperimentAsync(Samples.Experiment("a"));

        var error = await Assert.ThrowsAsync<ExperimentStoreException>(() => store.CreateExperimentAsync(Samples.Experiment("a")));
        Assert.Contains("'a' already exists", error.Message);
        Assert.Null(await store.GetExperimentAsync("b"));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Bad_input_is_refused_naming_the_field(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var bad = Samples.Experiment() with { BudgetJson = "{trials: 3" };
        Assert.Contains("BudgetJson", (await Assert.ThrowsAsync<ArgumentException>(() => store.CreateExperimentAsync(bad))).Message);

        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        var trial = (await store.ClaimNextTrialAsync(experiment.Id, "w", "cpu"))!;
        var nan = Samples.Epoch(1, 0.5) with { TrainLoss = double.NaN };
        Assert.Contains("TrainLoss", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReportEpochAsync(trial.Id, "w", nan))).Message);
        await Assert.ThrowsAsync<ExperimentStoreException>(() => store.AddTrialAsync(experiment.Id + 100, Samples.Trial(2)));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Experiments_list_with_trial_counts_per_state_and_best_completed_scores(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var a = await store.CreateExperimentAsync(Samples.Experiment("a"));
        var b = await store.CreateExperimentAsync(Samples.Experiment("b"));
        for (var i = 1; i <= 5; i++)
        {
            await store.AddTrialAsync(a.Id, Samples.Trial(i));
        }

        await RunAsync(store, a.Id, "w", [0.7, 0.8], TrialFinish.Completed(0.75));
        await RunAsync(store, a.Id, "w", [0.9], TrialFinish.Pruned("below rung 1 cut-off"));
        await RunAsync(store, a.Id, "w", [], TrialFinish.Failed("loss became NaN"));
        await store.ClaimNextTrialAsync(a.Id, "w", "cpu");
        await store.SetExperimentStateAsync(b.Id, ExperimentState.Stopped);

        var list = await store.ListExperimentsAsync();
        Assert.Equal(["a", "b"], list.Select(s => s.Experiment.Name));
        Assert.Equal(new TrialCounts(1, 1, 1, 1, 1), list[0].Trials);
        Assert.Equal(0.8, list[0].BestValidationAccuracy);
        Assert.Equal(0.75, list[0].BestTestAccuracy);
        Assert.Equal(ExperimentState.Stopped, list[1].Experiment.State);
        Assert.Equal(0, list[1].Trials.Total);
        Assert.Null(list[1].BestValidationAccuracy);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Trials_are_numbered_in_order_within_each_experiment(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var a = await store.CreateExperimentAsync(Samples.Experiment("a"));
        var b = await store.CreateExperimentAsync(Samples.Experiment("b"));
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => store.AddTrialAsync(i % 2 == 0 ? a.Id : b.Id, Samples.Trial(i)))));

        foreach (var experiment in new[] { a, b })
        {
            var trials = await store.ListTrialsAsync(experiment.Id);
            Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.Equal(TrialState.Waiting, t.State));
        }
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Concurrent_claims_give_each_trial_to_exactly_one_worker(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        for (var i = 1; i <= 40; i++)
        {
            await store.AddTrialAsync(experiment.Id, Samples.Trial(i));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<Trial>();
            while (await store.ClaimNextTrialAsync(experiment.Id, $"worker-{w}", "cpu") is { } trial)
            {
                mine.Add(trial);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Select(t => t.Id).Distinct().Count());
        Assert.All(all, t => Assert.Equal(1, t.Attempts));
        var stored = await store.ListTrialsAsync(experiment.Id);
        Assert.All(stored, t => Assert.Equal(TrialState.Running, t.State));
        foreach (var (worker, mine) in claims.Select((c, w) => ($"worker-{w}", c)))
        {
            Assert.All(mine, t => Assert.Equal(worker, stored.Single(s => s.Id == t.Id).WorkerId));
        }
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Claims_take_the_oldest_waiting_trial_of_running_experiments_only(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var stopped = await store.CreateExperimentAsync(Samples.Experiment("stopped"));
        var running = await store.CreateExperimentAsync(Samples.Experiment("running"));
        await store.AddTrialAsync(stopped.Id, Samples.Trial(1));
        var first = await store.AddTrialAsync(running.Id, Samples.Trial(2));
        var second = await store.AddTrialAsync(running.Id, Samples.Trial(3));
        await store.SetExperimentStateAsync(stopped.Id, ExperimentState.Stopped);

        Assert.Null(await store.ClaimNextTrialAsync(stopped.Id, "w", "cpu"));
        var claimed = await store.ClaimNextTrialAsync(null, "w", "cuda:0");
        Assert.Equal(first.Id, claimed!.Id);
        Assert.Equal("cuda:0", claimed.Device);
        Assert.NotNull(claimed.StartedAt);
        Assert.Equal(second.Id, (await store.ClaimNextTrialAsync(running.Id, "w", "cpu"))!.Id);
        Assert.Null(await store.ClaimNextTrialAsync(null, "w", "cpu"));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Stale_trials_are_requeued_and_their_old_worker_is_locked_out(StoreEngine engine)
    {
        var clock = new ManualTimeProvider();
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync(clock);
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var dead = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        var alive = await store.AddTrialAsync(experiment.Id, Samples.Trial(2));
        await store.ClaimNextTrialAsync(experiment.Id, "dead", "cpu");
        await store.ClaimNextTrialAsync(experiment.Id, "alive", "cpu");
        await store.ReportEpochAsync(dead.Id, "dead", Samples.Epoch(1, 0.5));

        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await store.HeartbeatAsync(alive.Id, "alive"));
        clock.Advance(TimeSpan.FromSeconds(20));
        var recovery = await store.RequeueStaleTrialsAsync(TimeSpan.FromSeconds(60), maxAttempts: 3);

        Assert.Equal([dead.Id], recovery.Requeued);
        Assert.Empty(recovery.Failed);
        var requeued = (await store.GetTrialAsync(dead.Id))!;
        Assert.Equal(TrialState.Waiting, requeued.State);
        Assert.Null(requeued.WorkerId);
        Assert.Equal(1, requeued.EpochsDone);
        Assert.Equal(TrialState.Running, (await store.GetTrialAsync(alive.Id))!.State);

        Assert.False(await store.HeartbeatAsync(dead.Id, "dead"));
        var error = await Assert.ThrowsAsync<TrialOwnershipException>(() => store.ReportEpochAsync(dead.Id, "dead", Samples.Epoch(2, 0.6)));
        Assert.Contains("requeued", error.Message);

        var again = (await store.ClaimNextTrialAsync(experiment.Id, "rescuer", "cpu"))!;
        Assert.Equal(dead.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        await Assert.ThrowsAsync<TrialOwnershipException>(() => store.FinishTrialAsync(dead.Id, "dead", TrialFinish.Completed()));
        await store.ReportEpochAsync(dead.Id, "rescuer", Samples.Epoch(2, 0.6));
        Assert.Equal(2, (await store.GetTrialAsync(dead.Id))!.EpochsDone);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_trial_whose_workers_keep_dying_fails_after_its_last_attempt(StoreEngine engine)
    {
        var clock = new ManualTimeProvider();
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync(clock);
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await store.ClaimNextTrialAsync(experiment.Id, $"w{attempt}", "cpu");
            clock.Advance(TimeSpan.FromMinutes(5));
            var recovery = await store.RequeueStaleTrialsAsync(TimeSpan.FromMinutes(1), maxAttempts: 2);
            Assert.Equal(attempt == 1 ? [trial.Id] : [], recovery.Requeued);
            Assert.Equal(attempt == 2 ? [trial.Id] : [], recovery.Failed);
        }

        var failed = (await store.GetFrozenTrialAsync(trial.Id))!;
        Assert.Equal(TrialState.Failed, failed.State);
        Assert.Contains("w2", failed.Trial.FailureReason);
        Assert.Contains("2 attempts", failed.Trial.FailureReason);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Reporting_an_epoch_again_replaces_it_instead_of_duplicating(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        await store.ClaimNextTrialAsync(experiment.Id, "w", "cpu");
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(1, 0.50));
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(2, 0.90));
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(2, 0.70));
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(1, 0.55));

        var epochs = await store.GetEpochMetricsAsync(trial.Id);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(Samples.Epoch(1, 0.55), epochs[0]);
        Assert.Equal(Samples.Epoch(2, 0.70), epochs[1]);
        var stored = (await store.GetTrialAsync(trial.Id))!;
        Assert.Equal(2, stored.EpochsDone);
        Assert.Equal(0.70, stored.BestValidationAccuracy);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_finished_trial_is_frozen_with_its_curve_and_artifacts(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1, parameters: 123_456, flops: 7_000_000));
        await store.ClaimNextTrialAsync(experiment.Id, "w", "cpu");
        Assert.Null(await store.GetFrozenTrialAsync(trial.Id));
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(1, 0.8));
        var sha = new string('A', 64);
        await store.AddArtifactAsync(trial.Id, new NewArtifact(ArtifactKind.Checkpoint, "trials/1/last.ckpt", 10, sha));
        await store.AddArtifactAsync(trial.Id, new NewArtifact(ArtifactKind.Checkpoint, "trials/1/last.ckpt", 20, new string('b', 64)));
        await store.AddArtifactAsync(trial.Id, new NewArtifact(ArtifactKind.Onnx, "export/model.onnx", 30, sha));

        var frozen = await store.FinishTrialAsync(trial.Id, "w", TrialFinish.Completed(0.79, """{"top5":0.99}"""));

        Assert.Equal(TrialState.Completed, frozen.State);
        Assert.Equal(0.79, frozen.Trial.TestAccuracy);
        Assert.Equal("""{"top5":0.99}""", frozen.Trial.TestMetricsJson);
        Assert.Equal(123_456, frozen.Trial.ParameterCount);
        Assert.Equal(7_000_000, frozen.Trial.Flops);
        Assert.NotNull(frozen.Trial.EndedAt);
        Assert.Single(frozen.Epochs);
        Assert.Equal(["trials/1/last.ckpt", "export/model.onnx"], frozen.Artifacts.Select(a => a.Path));
        Assert.Equal(20, frozen.Artifacts[0].SizeBytes);
        Assert.Equal(sha.ToLowerInvariant(), frozen.Artifacts[1].Sha256);
        Assert.Equal(frozen, await store.GetFrozenTrialAsync(trial.Id) is { } again ? again with { Epochs = frozen.Epochs, Artifacts = frozen.Artifacts } : null);
        await Assert.ThrowsAsync<TrialOwnershipException>(() => store.FinishTrialAsync(trial.Id, "w", TrialFinish.Failed("late")));
        await Assert.ThrowsAsync<TrialOwnershipException>(() => store.ReleaseTrialAsync(trial.Id, "w"));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_released_trial_waits_again_with_its_progress_kept(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var trial = await store.AddTrialAsync(experiment.Id, Samples.Trial(1));
        await store.ClaimNextTrialAsync(experiment.Id, "w", "cpu");
        await store.ReportEpochAsync(trial.Id, "w", Samples.Epoch(1, 0.6));
        await store.ReleaseTrialAsync(trial.Id, "w");

        var waiting = (await store.GetTrialAsync(trial.Id))!;
        Assert.Equal(TrialState.Waiting, waiting.State);
        Assert.Equal(1, waiting.EpochsDone);
        Assert.Equal(trial.Id, (await store.ClaimNextTrialAsync(experiment.Id, "w2", "cpu"))!.Id);
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task A_completed_duplicate_configuration_is_found_whatever_the_key_order(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        var other = await store.CreateExperimentAsync(Samples.Experiment("other"));
        var trial = await store.AddTrialAsync(experiment.Id, new NewTrial("""{"g":1}""", "gh", """{"lr":0.1,"batch":64}"""));
        Assert.Null(await store.FindCompletedTrialAsync(experiment.Id, "gh", """{"lr":0.1,"batch":64}"""));
        await RunAsync(store, experiment.Id, "w", [0.9], TrialFinish.Completed(0.88));

        var found = await store.FindCompletedTrialAsync(experiment.Id, "gh", """{ "batch": 64, "lr": 0.1 }""");
        Assert.Equal(trial.Id, found!.Id);
        Assert.Equal(0.9, found.Trial.BestValidationAccuracy);
        Assert.Null(await store.FindCompletedTrialAsync(experiment.Id, "gh", """{"lr":0.2,"batch":64}"""));
        Assert.Null(await store.FindCompletedTrialAsync(experiment.Id, "other-genotype", """{"lr":0.1,"batch":64}"""));
        Assert.Null(await store.FindCompletedTrialAsync(other.Id, "gh", """{"lr":0.1,"batch":64}"""));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task The_leaderboard_ranks_by_the_chosen_metric_with_missing_values_last(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        (double Val, double? Test, long Params)[] specs = [(0.80, 0.70, 300), (0.95, 0.60, 100), (0.80, null, 200), (0.50, 0.90, 400)];
        for (var i = 0; i < specs.Length; i++)
        {
            await store.AddTrialAsync(experiment.Id, Samples.Trial(i + 1, parameters: specs[i].Params));
            await RunAsync(store, experiment.Id, "w", [specs[i].Val], TrialFinish.Completed(specs[i].Test));
        }

        await store.AddTrialAsync(experiment.Id, Samples.Trial(9, parameters: 1));
        await RunAsync(store, experiment.Id, "w", [0.99], TrialFinish.Pruned("rung 0"));

        async Task<long[]> Numbers(LeaderboardQuery query) =>
            (await store.GetLeaderboardAsync(experiment.Id, query)).Select(t => t.Number).ToArray();

        Assert.Equal(new long[] { 2, 1, 3, 4 }, await Numbers(new LeaderboardQuery()));
        Assert.Equal(new long[] { 4, 1, 2, 3 }, await Numbers(new LeaderboardQuery(LeaderboardSort.TestAccuracy)));
        Assert.Equal(new long[] { 2, 3, 1, 4 }, await Numbers(new LeaderboardQuery(LeaderboardSort.ParameterCount)));
        Assert.Equal(new long[] { 5, 2 }, await Numbers(new LeaderboardQuery(States: [TrialState.Completed, TrialState.Pruned], Top: 2)));
        Assert.Equal(new long[] { 5 }, await Numbers(new LeaderboardQuery(States: [TrialState.Pruned])));
    }

    [Theory, SqliteData, LiteDbData, PostgresData]
    public async Task Strategy_state_is_saved_replaced_and_loaded_byte_for_byte(StoreEngine engine)
    {
        await using var place = await StoreUnderTest.CreateAsync(engine);
        await using var store = await place.OpenAsync();
        var experiment = await store.CreateExperimentAsync(Samples.Experiment());
        Assert.Null(await store.LoadStrategyStateAsync(experiment.Id));
        var state = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray();
        await store.SaveStrategyStateAsync(experiment.Id, new byte[] { 9 });
        await store.SaveStrategyStateAsync(experiment.Id, state);
        Assert.Equal(state, await store.LoadStrategyStateAsync(experiment.Id));
        await Assert.ThrowsAsync<ExperimentStoreException>(() => store.LoadStrategyStateAsync(experiment.Id + 1));
    }

    /// <summary>Claims the next trial, reports one epoch per validation accuracy, and finishes it.</summary>
    private static async Task RunAsync(IExperimentStore store, long experimentId, string worker, double[] valAccuracies, TrialFinish finish)
    {
        var trial = (await store.ClaimNextTrialAsync(experimentId, worker, "cpu"))!;
        for (var i = 0; i < valAccuracies.Length; i++)
        {
            await store.ReportEpochAsync(trial.Id, worker, Samples.Epoch(i + 1, valAccuracies[i]));
        }

        await store.FinishTrialAsync(trial.Id, worker, finish);
    }
}
