using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Dapper;

namespace AutoNet.Store.Sql;

/// <summary>Transactions with retry, shared reads, and argument checks.</summary>
internal abstract partial class SqlExperimentStore
{
    /// <summary>
    /// Runs <paramref name="body"/> in a write transaction and commits; a lock or serialization conflict
    /// rolls back and runs it again with exponential backoff and jitter, until <see cref="StoreOptions.BusyTimeout"/>.
    /// </summary>
    protected async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        var result = await body(connection, tx, cancellationToken).ConfigureAwait(false);
                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return result;
                    }
                }
            }
            catch (Exception e) when (Damage(e) is { } problem)
            {
                throw new StoreFormatException($"the experiment store {Location} is damaged, or was changed outside AutoNet: {problem}", e);
            }
            catch (Exception e) when (IsTransient(e) && clock.Elapsed < Options.BusyTimeout)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    return await body(connection, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (Damage(e) is { } problem)
            {
                throw new StoreFormatException($"the experiment store {Location} is damaged, or was changed outside AutoNet: {problem}", e);
            }
            catch (Exception e) when (IsTransient(e) && clock.Elapsed < Options.BusyTimeout)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// What is wrong when a read finds the file damaged (the engine says so), a column of another type than AutoNet
    /// wrote (Dapper's DataException) or a value outside its set (<see cref="StoredValues"/>); null for anything else.
    /// </summary>
    private string? Damage(Exception e) => e switch
    {
        _ when IsDamaged(e) => e.Message,
        System.Data.DataException or InvalidDataException => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message,
        _ => null,
    };

    private static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(1000, 5 << Math.Min(attempt, 8));
        return TimeSpan.FromMilliseconds(Random.Shared.Next(ceiling / 2, ceiling + 1));
    }

    private static async Task<Experiment?> GetExperimentAsync(DbConnection c, DbTransaction? tx, string where, object param, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<ExperimentRow>(new CommandDefinition(
            "SELECT " + ExperimentRow.Columns + " FROM experiments e WHERE " + where, param, tx, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToExperiment();
    }

    private static async Task<Trial?> GetTrialAsync(DbConnection c, DbTransaction? tx, long trialId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<TrialRow>(new CommandDefinition(
            "SELECT " + TrialRow.Columns + " FROM trials WHERE id = @Id", new { Id = trialId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToTrial();
    }

    private static async Task<IReadOnlyList<EpochMetrics>> GetEpochMetricsAsync(DbConnection c, DbTransaction? tx, long trialId, CancellationToken ct)
    {
        var rows = await c.QueryAsync<EpochRow>(new CommandDefinition(
            "SELECT " + EpochRow.Columns + " FROM epoch_metrics WHERE trial_id = @Id ORDER BY epoch",
            new { Id = trialId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToMetrics()).ToList();
    }

    private static async Task<IReadOnlyList<Artifact>> ListArtifactsAsync(DbConnection c, DbTransaction? tx, long trialId, CancellationToken ct)
    {
        var rows = await c.QueryAsync<ArtifactRow>(new CommandDefinition(
            "SELECT " + ArtifactRow.Columns + " FROM artifacts WHERE trial_id = @Id ORDER BY created_at, id",
            new { Id = trialId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToArtifact()).ToList();
    }

    private static async Task<FrozenTrial?> GetFrozenTrialAsync(DbConnection c, DbTransaction? tx, long trialId, CancellationToken ct)
    {
        var trial = await GetTrialAsync(c, tx, trialId, ct).ConfigureAwait(false);
        if (trial is not { IsFinished: true })
        {
            return null;
        }

        var epochs = await GetEpochMetricsAsync(c, tx, trialId, ct).ConfigureAwait(false);
        var artifacts = await ListArtifactsAsync(c, tx, trialId, ct).ConfigureAwait(false);
        return new FrozenTrial(trial, epochs, artifacts);
    }

    /// <summary>Heartbeats the trial if <paramref name="workerId"/> runs it; otherwise says clearly why not.</summary>
    private async Task RequireOwnerAsync(DbConnection c, DbTransaction tx, long trialId, string workerId, long now, CancellationToken ct)
    {
        var n = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE trials SET heartbeat_at = @Now WHERE id = @Id AND state = 'Running' AND worker_id = @Worker",
            new { Now = now, Id = trialId, Worker = workerId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (n == 1)
        {
            return;
        }

        var trial = await GetTrialAsync(c, tx, trialId, ct).ConfigureAwait(false)
            ?? throw new ExperimentStoreException($"trial {trialId} does not exist in {Location}");
        throw new TrialOwnershipException(
            $"worker '{workerId}' no longer runs trial {trialId} (#{trial.Number}): it is {trial.State}" +
            (trial.WorkerId is null ? "" : $" under worker '{trial.WorkerId}'") +
            (trial.State == TrialState.Waiting ? ", requeued after its heartbeat went stale" : ""));
    }

    private void RequireExperiment(int rows, long experimentId)
    {
        if (rows == 0)
        {
            throw new ExperimentStoreException($"experiment {experimentId} does not exist in {Location}");
        }
    }

    private static void RequireText(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{field} must not be empty", field);
        }
    }

    private static void RequireJson(string? value, string field)
    {
        RequireText(value, field);
        _ = TrialHashes.CanonicalJson(value!, field);
    }

    private static void RequireFraction(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be a fraction in [0, 1]");
        }
    }

    private static void ValidateMetrics(EpochMetrics m)
    {
        if (m.Epoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m.Epoch, "EpochMetrics.Epoch is 1-based and must be at least 1");
        }

        RequireFinite(m.TrainLoss, nameof(m.TrainLoss));
        RequireFinite(m.ValidationLoss, nameof(m.ValidationLoss));
        RequireFinite(m.LearningRate, nameof(m.LearningRate));
        RequireFinite(m.Seconds, nameof(m.Seconds));
        if (m.ValidationAccuracy is { } va)
        {
            RequireFraction(va, nameof(m.ValidationAccuracy));
        }

        if (m.Top5Accuracy is { } t5)
        {
            RequireFraction(t5, nameof(m.Top5Accuracy));
        }
    }

    private static void RequireFinite(double? value, string field)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw new ArgumentOutOfRangeException(field, v,
                $"EpochMetrics.{field} must be finite; a trial whose loss diverged should be failed with that reason");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
