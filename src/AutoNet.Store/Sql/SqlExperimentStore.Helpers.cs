using System.Data.Common;
using System.Diagnostics;
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

        var trial = await GetTrialAsync(c, tx, trialId, ct).ConfigureAwait(false) ?? throw StoreInput.NoTrial(trialId, Location);
        throw StoreInput.NotOwner(trial, workerId);
    }

    private void RequireExperiment(int rows, long experimentId)
    {
        if (rows == 0)
        {
            throw StoreInput.NoExperiment(experimentId, Location);
        }
    }
}
