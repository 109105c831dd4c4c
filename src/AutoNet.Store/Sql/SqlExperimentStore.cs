using System.Data.Common;
using Dapper;

namespace AutoNet.Store.Sql;

/// <summary>
/// The store over SQL, shared by both engines: the SQL here runs unchanged on SQLite and PostgreSQL.
/// Engines supply connections, write transactions, the claim statement and what counts as transient.
/// Every operation opens a pooled connection of its own, so one instance serves many threads.
/// </summary>
internal abstract partial class SqlExperimentStore : IExperimentStore
{
    protected SqlExperimentStore(StoreOptions options)
    {
        Options = options;
    }

    public abstract StoreEngine Engine { get; }

    public abstract string Location { get; }

    protected StoreOptions Options { get; }

    private long _clockOffset;

    /// <summary>The store's time: this process's clock (<see cref="StoreOptions.Time"/>) plus the engine's offset.</summary>
    private long Now => UnixTime.Now(Options.Time) + ClockOffsetMilliseconds;

    /// <summary>How far the database's clock is ahead of this process's (0 on SQLite, where the file has no clock of its own).</summary>
    protected long ClockOffsetMilliseconds
    {
        get => Interlocked.Read(ref _clockOffset);
        set => Interlocked.Exchange(ref _clockOffset, value);
    }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that holds the write lock from its start (SQLite: BEGIN IMMEDIATE).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A lock or serialization conflict: the whole transaction may be run again.</summary>
    protected abstract bool IsTransient(Exception exception);

    protected abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Whether the engine reports the database itself as damaged (a truncated or overwritten file), not the query.</summary>
    protected virtual bool IsDamaged(Exception exception) => false;

    /// <summary>Takes the oldest Waiting trial; parameters @Experiment (when not any), @Worker, @Device, @Now.</summary>
    protected abstract string ClaimSql(bool anyExperiment);

    /// <summary>The claim shared by both engines; <paramref name="lockClause"/> is PostgreSQL's row lock (empty on SQLite).</summary>
    protected static string BuildClaimSql(bool anyExperiment, string lockClause) =>
        "UPDATE trials SET state = 'Running', worker_id = @Worker, device = @Device, heartbeat_at = @Now, " +
        "started_at = COALESCE(started_at, @Now), attempts = attempts + 1, unended_runs = unended_runs + 1 " +
        "WHERE state = 'Waiting' AND id = (SELECT t.id FROM trials t JOIN experiments e ON e.id = t.experiment_id " +
        "WHERE t.state = 'Waiting' AND e.state = 'Running'" + (anyExperiment ? "" : " AND t.experiment_id = @Experiment") +
        " ORDER BY t.id LIMIT 1 " + lockClause + ") RETURNING " + TrialRow.Columns;

    /// <summary>Applies the migrations newer than the store's version, inside the caller's exclusive transaction.</summary>
    protected async Task MigrateAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(Schema.CreateVersionTable, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
        var version = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM " + Schema.VersionTable, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
        RequireKnownVersion(version);
        foreach (var migration in Schema.Migrations.Where(m => m.Version > version))
        {
            await c.ExecuteAsync(new CommandDefinition(migration.For(Engine), transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO " + Schema.VersionTable + " (version, description, applied_at) VALUES (@Version, @Description, @Now)",
                new { Version = (long)migration.Version, migration.Description, Now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    /// <summary>Refuses a database that holds AutoNet's table names without its version table, or a newer schema.</summary>
    protected void RequireAutoNetStore(IReadOnlyCollection<string> tables, long? version, IEnumerable<string> foreignTables)
    {
        if (!tables.Contains(Schema.VersionTable, StringComparer.OrdinalIgnoreCase))
        {
            var foreign = foreignTables.ToList();
            if (foreign.Count > 0)
            {
                throw new StoreFormatException(
                    $"{Location} is not an AutoNet store: it has tables AutoNet did not create ({string.Join(", ", foreign.Take(8))}) " +
                    $"and no {Schema.VersionTable} table; AutoNet left it untouched");
            }

            return;
        }

        RequireKnownVersion(version ?? 0);
    }

    /// <summary>A read-only opener cannot migrate: the store must already have this AutoNet's schema.</summary>
    protected void RequireCurrentVersion(long? version)
    {
        if ((version ?? 0) < Schema.LatestVersion)
        {
            throw new StoreFormatException(
                version is null
                    ? $"{Location} holds no AutoNet store yet: run a search into it first"
                    : $"{Location} was written by an older AutoNet (store schema version {version}, now {Schema.LatestVersion}) and is opened " +
                      "read-only here, so it cannot be upgraded: run `autonet experiments` on it once, then open it again");
        }
    }

    private void RequireKnownVersion(long version)
    {
        if (version > Schema.LatestVersion)
        {
            throw new StoreFormatException(
                $"{Location} was written by a newer AutoNet (store schema version {version}; this AutoNet knows up to " +
                $"{Schema.LatestVersion}); update AutoNet to open it");
        }
    }

    /// <summary>Serializes writers of one experiment's trial numbers (PostgreSQL: a row lock; SQLite: the write lock already does).</summary>
    protected abstract string LockExperimentSql { get; }

    public abstract ValueTask DisposeAsync();

    public async Task<Experiment> CreateExperimentAsync(NewExperiment experiment, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateExperiment(experiment);
        try
        {
            return await WriteAsync(async (c, tx, ct) =>
            {
                var now = Now;
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO experiments (name, data_source, split_json, search_space_name, search_space_json, strategy, scheduler, " +
                    "budget_json, seed, state, created_at, updated_at) VALUES (@Name, @DataSource, @SplitJson, @SearchSpaceName, " +
                    "@SearchSpaceJson, @Strategy, @Scheduler, @BudgetJson, @Seed, 'Running', @Now, @Now) RETURNING id",
                    new
                    {
                        experiment.Name, experiment.DataSource, experiment.SplitJson, experiment.SearchSpaceName, experiment.SearchSpaceJson,
                        experiment.Strategy, experiment.Scheduler, experiment.BudgetJson, experiment.Seed, Now = now,
                    },
                    tx, cancellationToken: ct)).ConfigureAwait(false);
                return (await GetExperimentAsync(c, tx, "e.id = @Id", new { Id = id }, ct).ConfigureAwait(false))!;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            throw StoreInput.DuplicateName(experiment.Name, Location, e);
        }
    }

    public Task<Experiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync((c, ct) => GetExperimentAsync(c, null, "e.name = @Name", new { Name = name }, ct), cancellationToken);
    }

    public Task<IReadOnlyList<ExperimentSummary>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ExperimentSummary>>(async (c, ct) =>
        {
            var rows = await c.QueryAsync<ExperimentRow>(new CommandDefinition(
                "SELECT " + ExperimentRow.Columns + ", " +
                "COUNT(t.id) FILTER (WHERE t.state = 'Waiting') AS Waiting, " +
                "COUNT(t.id) FILTER (WHERE t.state = 'Running') AS Running, " +
                "COUNT(t.id) FILTER (WHERE t.state = 'Completed') AS Completed, " +
                "COUNT(t.id) FILTER (WHERE t.state = 'Pruned') AS Pruned, " +
                "COUNT(t.id) FILTER (WHERE t.state = 'Failed') AS Failed, " +
                "MAX(t.best_val_accuracy) FILTER (WHERE t.state = 'Completed') AS BestValidationAccuracy, " +
                "MAX(t.test_accuracy) FILTER (WHERE t.state = 'Completed') AS BestTestAccuracy " +
                "FROM experiments e LEFT JOIN trials t ON t.experiment_id = e.id GROUP BY e.id ORDER BY e.id",
                cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => r.ToSummary()).ToList();
        }, cancellationToken);

    public Task SetExperimentStateAsync(long experimentId, ExperimentState state, CancellationToken cancellationToken = default) =>
        UpdateExperimentAsync(experimentId, "state = @State", new { State = state.ToString() }, cancellationToken);

    public abstract Task<IAsyncDisposable> HoldCoordinatorAsync(Experiment experiment, CancellationToken cancellationToken = default);

    public Task FailExperimentAsync(long experimentId, string reason, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(reason, nameof(reason));
        return UpdateExperimentAsync(experimentId, "state = @State, failure_reason = @Reason",
            new { State = nameof(ExperimentState.Failed), Reason = reason }, cancellationToken);
    }

    public Task SetBudgetAsync(long experimentId, string budgetJson, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireJson(budgetJson, nameof(budgetJson));
        return UpdateExperimentAsync(experimentId, "budget_json = @Budget", new { Budget = budgetJson }, cancellationToken);
    }

    public Task SetSearchSecondsAsync(long experimentId, double seconds, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireSeconds(seconds, nameof(seconds));
        return UpdateExperimentAsync(experimentId, "search_seconds = @Seconds", new { Seconds = seconds }, cancellationToken);
    }

    /// <summary>Sets <paramref name="assignments"/> (named parameters from <paramref name="values"/>) and the update time on one experiment.</summary>
    private Task<int> UpdateExperimentAsync(long experimentId, string assignments, object values, CancellationToken cancellationToken) =>
        WriteAsync(async (c, tx, ct) =>
        {
            var parameters = new DynamicParameters(values);
            parameters.Add("Now", Now);
            parameters.Add("Id", experimentId);
            var n = await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE experiments SET {assignments}, updated_at = @Now WHERE id = @Id", parameters, tx, cancellationToken: ct)).ConfigureAwait(false);
            RequireExperiment(n, experimentId);
            return 0;
        }, cancellationToken);

    public Task SaveStrategyStateAsync(long experimentId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        var bytes = state.ToArray();
        return WriteAsync(async (c, tx, ct) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE experiments SET strategy_state = @State, updated_at = @Now WHERE id = @Id",
                new { State = bytes, Now, Id = experimentId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            RequireExperiment(n, experimentId);
            return 0;
        }, cancellationToken);
    }

    public Task<byte[]?> LoadStrategyStateAsync(long experimentId, CancellationToken cancellationToken = default) =>
        ReadAsync(async (c, ct) =>
        {
            var rows = (await c.QueryAsync<byte[]?>(new CommandDefinition(
                "SELECT strategy_state FROM experiments WHERE id = @Id", new { Id = experimentId }, cancellationToken: ct))
                .ConfigureAwait(false)).ToList();
            RequireExperiment(rows.Count, experimentId);
            return rows[0];
        }, cancellationToken);

    public Task<Trial> AddTrialAsync(long experimentId, NewTrial trial, CancellationToken cancellationToken = default)
    {
        var configHash = StoreInput.ValidateTrial(trial);
        return WriteAsync(async (c, tx, ct) =>
        {
            var locked = (await c.QueryAsync<long>(new CommandDefinition(
                LockExperimentSql, new { Id = experimentId }, tx, cancellationToken: ct)).ConfigureAwait(false)).Count();
            RequireExperiment(locked, experimentId);
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO trials (experiment_id, number, genotype_json, genotype_hash, hyperparameters_json, config_hash, state, " +
                "created_at, parameter_count, flops, role) VALUES (@Experiment, " +
                "(SELECT COALESCE(MAX(number), 0) + 1 FROM trials WHERE experiment_id = @Experiment), " +
                "@GenotypeJson, @GenotypeHash, @HyperparametersJson, @ConfigHash, 'Waiting', @Now, @ParameterCount, @Flops, @Role) RETURNING id",
                new
                {
                    Experiment = experimentId, trial.GenotypeJson, trial.GenotypeHash, trial.HyperparametersJson, ConfigHash = configHash,
                    Now, trial.ParameterCount, trial.Flops, Role = trial.Role.ToString(),
                },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            return (await GetTrialAsync(c, tx, id, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    public Task<Trial?> GetTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => GetTrialAsync(c, null, trialId, ct), cancellationToken);

    public Task<IReadOnlyList<Trial>> ListTrialsAsync(long experimentId, TrialState? state = null, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Trial>>(async (c, ct) =>
        {
            var sql = "SELECT " + TrialRow.Columns + " FROM trials WHERE experiment_id = @Experiment" +
                (state is null ? "" : " AND state = @State") + " ORDER BY number";
            var rows = await c.QueryAsync<TrialRow>(new CommandDefinition(
                sql, new { Experiment = experimentId, State = state?.ToString() }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => r.ToTrial()).ToList();
        }, cancellationToken);

    public Task<Trial?> ClaimNextTrialAsync(long? experimentId, string workerId, string device, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        StoreInput.RequireText(device, nameof(device));
        return WriteAsync(async (c, tx, ct) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<TrialRow>(new CommandDefinition(
                ClaimSql(experimentId is null),
                new { Experiment = experimentId ?? 0, Worker = workerId, Device = device, Now },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            return row?.ToTrial();
        }, cancellationToken);
    }

    public Task<Trial?> ClaimTrialAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        StoreInput.RequireText(device, nameof(device));
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        return WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            var row = await c.QuerySingleOrDefaultAsync<TrialRow>(new CommandDefinition(
                "UPDATE trials SET state = 'Running', worker_id = @Worker, device = @Device, heartbeat_at = @Now, " +
                "started_at = COALESCE(started_at, @Now), attempts = attempts + 1, unended_runs = unended_runs + 1 " +
                "WHERE id = @Id AND (state = 'Waiting' OR (state = 'Running' AND heartbeat_at < @Cutoff)) " +
                "AND experiment_id IN (SELECT id FROM experiments WHERE state = 'Running') RETURNING " + TrialRow.Columns,
                new { Id = trialId, Worker = workerId, Device = device, Now = now, Cutoff = now - (long)staleAfter.TotalMilliseconds },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            return row?.ToTrial();
        }, cancellationToken);
    }

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE trials SET heartbeat_at = @Now WHERE id = @Id AND state = 'Running' AND worker_id = @Worker",
                new { Now, Id = trialId, Worker = workerId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 1,
            cancellationToken);

    public Task ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateMetrics(metrics);
        return WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            await RequireOwnerAsync(c, tx, trialId, workerId, now, ct).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO epoch_metrics (trial_id, epoch, train_loss, val_loss, val_accuracy, top5_accuracy, learning_rate, seconds, " +
                "memory_bytes, recorded_at) VALUES (@Trial, @Epoch, @TrainLoss, @ValidationLoss, @ValidationAccuracy, @Top5Accuracy, " +
                "@LearningRate, @Seconds, @MemoryBytes, @Now) ON CONFLICT (trial_id, epoch) DO UPDATE SET train_loss = excluded.train_loss, " +
                "val_loss = excluded.val_loss, val_accuracy = excluded.val_accuracy, top5_accuracy = excluded.top5_accuracy, " +
                "learning_rate = excluded.learning_rate, seconds = excluded.seconds, memory_bytes = excluded.memory_bytes, " +
                "recorded_at = excluded.recorded_at",
                new
                {
                    Trial = trialId, Epoch = (long)metrics.Epoch, metrics.TrainLoss, metrics.ValidationLoss, metrics.ValidationAccuracy,
                    metrics.Top5Accuracy, metrics.LearningRate, metrics.Seconds, metrics.MemoryBytes, Now = now,
                },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE trials SET epochs_done = (SELECT MAX(epoch) FROM epoch_metrics WHERE trial_id = @Id), " +
                "best_val_accuracy = (SELECT MAX(val_accuracy) FROM epoch_metrics WHERE trial_id = @Id) WHERE id = @Id",
                new { Id = trialId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<FrozenTrial> FinishTrialAsync(long trialId, string workerId, TrialFinish finish, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateFinish(finish);

        return WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            await RequireOwnerAsync(c, tx, trialId, workerId, now, ct).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE trials SET state = @State, failure_reason = @Reason, test_accuracy = @TestAccuracy, " +
                "test_metrics_json = @TestMetricsJson, ended_at = @Now WHERE id = @Id",
                new { State = finish.State.ToString(), finish.Reason, finish.TestAccuracy, finish.TestMetricsJson, Now = now, Id = trialId },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            return (await GetFrozenTrialAsync(c, tx, trialId, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    public Task ReleaseTrialAsync(long trialId, string workerId, CancellationToken cancellationToken = default) =>
        WriteAsync(async (c, tx, ct) =>
        {
            await RequireOwnerAsync(c, tx, trialId, workerId, Now, ct).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE trials SET state = 'Waiting', worker_id = NULL, device = NULL, heartbeat_at = NULL, unended_runs = 0 WHERE id = @Id",
                new { Id = trialId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    public Task<StaleTrialRecovery> RequeueStaleTrialsAsync(TimeSpan staleAfter, int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            var cutoff = now - (long)staleAfter.TotalMilliseconds;
            var failed = (await c.QueryAsync<long>(new CommandDefinition(
                "UPDATE trials SET state = 'Failed', ended_at = @Now, failure_reason = 'its worker (' || worker_id || ') stopped sending " +
                "heartbeats on each of its ' || CAST(unended_runs AS TEXT) || ' attempts' " +
                "WHERE state = 'Running' AND heartbeat_at < @Cutoff AND unended_runs >= @MaxAttempts RETURNING id",
                new { Now = now, Cutoff = cutoff, MaxAttempts = (long)maxAttempts }, tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            var requeued = (await c.QueryAsync<long>(new CommandDefinition(
                "UPDATE trials SET state = 'Waiting', worker_id = NULL, device = NULL, heartbeat_at = NULL " +
                "WHERE state = 'Running' AND heartbeat_at < @Cutoff RETURNING id",
                new { Cutoff = cutoff }, tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            failed.Sort();
            requeued.Sort();
            return new StaleTrialRecovery(requeued, failed);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<EpochMetrics>> GetEpochMetricsAsync(long trialId, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => GetEpochMetricsAsync(c, null, trialId, ct), cancellationToken);

    public Task<FrozenTrial?> GetFrozenTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => GetFrozenTrialAsync(c, null, trialId, ct), cancellationToken);

    public Task<FrozenTrial?> FindCompletedTrialAsync(
        long experimentId, string genotypeHash, string hyperparametersJson, CancellationToken cancellationToken = default)
    {
        var configHash = TrialHashes.ConfigHash(genotypeHash, hyperparametersJson);
        return ReadAsync(async (c, ct) =>
        {
            var id = await c.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM trials WHERE experiment_id = @Experiment AND config_hash = @ConfigHash AND state = 'Completed' " +
                "ORDER BY number LIMIT 1",
                new { Experiment = experimentId, ConfigHash = configHash }, cancellationToken: ct)).ConfigureAwait(false);
            return id is { } trialId ? await GetFrozenTrialAsync(c, null, trialId, ct).ConfigureAwait(false) : null;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Trial>> GetLeaderboardAsync(long experimentId, LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateLeaderboard(query);

        var order = query.Sort switch
        {
            LeaderboardSort.ValidationAccuracy => "best_val_accuracy DESC NULLS LAST",
            LeaderboardSort.TestAccuracy => "test_accuracy DESC NULLS LAST",
            LeaderboardSort.ParameterCount => "parameter_count ASC NULLS LAST",
            LeaderboardSort.Flops => "flops ASC NULLS LAST",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "unknown leaderboard sort"),
        };
        var states = StoreInput.LeaderboardStates(query).Select(x => x.ToString()).ToArray();
        // One parameter per state: Dapper expands "IN @list" differently per provider (an array on Npgsql).
        var parameters = new DynamicParameters(new { Experiment = experimentId, Top = (long?)query.Top });
        for (var i = 0; i < states.Length; i++)
        {
            parameters.Add($"State{i}", states[i]);
        }

        var sql = "SELECT " + TrialRow.Columns + " FROM trials WHERE experiment_id = @Experiment AND state IN (" +
            string.Join(", ", states.Select((_, i) => $"@State{i}")) + ") ORDER BY " + order + ", number" +
            (query.Top is null ? "" : " LIMIT @Top");
        return ReadAsync<IReadOnlyList<Trial>>(async (c, ct) =>
        {
            var rows = await c.QueryAsync<TrialRow>(new CommandDefinition(sql, parameters, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => r.ToTrial()).ToList();
        }, cancellationToken);
    }

    public Task<Artifact> AddArtifactAsync(long trialId, NewArtifact artifact, CancellationToken cancellationToken = default)
    {
        var sha = StoreInput.ValidateArtifact(artifact);
        return WriteAsync(async (c, tx, ct) =>
        {
            if (await GetTrialAsync(c, tx, trialId, ct).ConfigureAwait(false) is null)
            {
                throw StoreInput.NoTrial(trialId, Location);
            }

            var row = await c.QuerySingleAsync<ArtifactRow>(new CommandDefinition(
                "INSERT INTO artifacts (trial_id, kind, path, size_bytes, sha256, created_at) VALUES (@Trial, @Kind, @Path, @Size, @Sha, @Now) " +
                "ON CONFLICT (trial_id, path) DO UPDATE SET kind = excluded.kind, size_bytes = excluded.size_bytes, " +
                "sha256 = excluded.sha256, created_at = excluded.created_at RETURNING " + ArtifactRow.Columns,
                new { Trial = trialId, Kind = artifact.Kind.ToString(), artifact.Path, Size = artifact.SizeBytes, Sha = sha, Now },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            return row.ToArtifact();
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(long trialId, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => ListArtifactsAsync(c, null, trialId, ct), cancellationToken);
}
