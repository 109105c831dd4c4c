using AutoNet.Search.MultiFidelity;
using AutoNet.Training;
using Microsoft.Data.Sqlite;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A test double of the experiment store's trial table in a SQLite file, so a test and its child worker processes
/// share it (the real store, AutoNet.Store, takes its place in the product). Each change is one statement, so it is
/// atomic; <c>finishes</c> counts final transitions, so a test can prove each trial ended exactly once.
/// </summary>
internal sealed class SqliteTrialLedger : ITrialLedger
{
    private readonly string connectionString;

    public SqliteTrialLedger(string connectionString)
    {
        this.connectionString = connectionString;
        Execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS test_trials (id INTEGER PRIMARY KEY, number INTEGER NOT NULL, max_epochs INTEGER NOT NULL,
                owner TEXT NULL, heartbeat INTEGER NOT NULL DEFAULT 0, end_state TEXT NULL, finishes INTEGER NOT NULL DEFAULT 0,
                epochs INTEGER NOT NULL DEFAULT 0, best REAL NULL, latest REAL NULL, claims INTEGER NOT NULL DEFAULT 0,
                unended INTEGER NOT NULL DEFAULT 0, reason TEXT NULL);
            CREATE TABLE IF NOT EXISTS test_epochs (trial INTEGER NOT NULL, epoch INTEGER NOT NULL, accuracy REAL NOT NULL, PRIMARY KEY (trial, epoch));
            """);
    }

    public Task<(long TrialId, int TrialNumber)> AddTrialAsync(long experimentId, TrialProposal proposal, CancellationToken cancellationToken)
    {
        var id = Scalar("INSERT INTO test_trials (number, max_epochs) VALUES ((SELECT COUNT(*) + 1 FROM test_trials), $max) RETURNING id",
            ("$max", proposal.MaxEpochs));
        return Task.FromResult((id, (int)id));
    }

    public Task<TrialClaim> ClaimAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var now = Now();
        var claimed = Execute("""
            UPDATE test_trials SET owner = $owner, heartbeat = $now, claims = claims + 1, unended = unended + 1
            WHERE id = $id AND end_state IS NULL AND (owner IS NULL OR heartbeat < $stale)
            """, ("$owner", workerId), ("$now", now), ("$id", trialId), ("$stale", now - (long)staleAfter.TotalMilliseconds));
        var (state, epochs, best) = Read(trialId);
        return Task.FromResult(claimed == 1 ? new TrialClaim(TrialClaimStatus.Claimed, epochs, UnendedRuns: (int)Scalar("SELECT unended FROM test_trials WHERE id = $id", ("$id", trialId)))
            : state is { } end ? new TrialClaim(TrialClaimStatus.Finished, epochs, Enum.Parse<TrialEndState>(end), best)
            : new TrialClaim(TrialClaimStatus.HeldByLiveWorker, epochs));
    }

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Owned("UPDATE test_trials SET heartbeat = $now WHERE id = $id AND owner = $owner AND end_state IS NULL", trialId, workerId);

    public Task<bool> ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        var owned = Execute("""
            INSERT OR REPLACE INTO test_epochs (trial, epoch, accuracy)
            SELECT $id, $epoch, $accuracy WHERE EXISTS (SELECT 1 FROM test_trials WHERE id = $id AND owner = $owner AND end_state IS NULL);
            UPDATE test_trials SET heartbeat = $now, epochs = MAX(epochs, $epoch), best = MAX(COALESCE(best, 0), $accuracy),
                latest = CASE WHEN $epoch >= epochs THEN $accuracy ELSE latest END
            WHERE id = $id AND owner = $owner AND end_state IS NULL;
            """, ("$id", trialId), ("$epoch", metrics.Epoch), ("$accuracy", metrics.ValidationAccuracy), ("$owner", workerId), ("$now", Now()));
        return Task.FromResult(owned > 0);
    }

    public Task<bool> ReleaseAsync(long trialId, string workerId, CancellationToken cancellationToken) =>
        Owned("UPDATE test_trials SET owner = NULL, unended = 0 WHERE id = $id AND owner = $owner AND end_state IS NULL", trialId, workerId);

    public Task<bool> FinishAsync(long trialId, string workerId, TrialEnd end, CancellationToken cancellationToken) =>
        Task.FromResult(Execute("UPDATE test_trials SET owner = NULL, end_state = $state, reason = $reason, finishes = finishes + 1 WHERE id = $id AND owner = $owner AND end_state IS NULL",
            ("$state", end.State.ToString()), ("$reason", (object?)end.Reason ?? DBNull.Value), ("$id", trialId), ("$owner", workerId)) == 1);

    /// <summary>Why the trial ended, when it was given a reason.</summary>
    public string? Reason(long trialId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason FROM test_trials WHERE id = $id";
        command.Parameters.AddWithValue("$id", trialId);
        return command.ExecuteScalar() as string;
    }

    public Task<bool> FinishWaitingAsync(long trialId, TrialEnd end, CancellationToken cancellationToken) =>
        Task.FromResult(Execute("UPDATE test_trials SET end_state = $state, finishes = finishes + 1 WHERE id = $id AND owner IS NULL AND end_state IS NULL",
            ("$state", end.State.ToString()), ("$id", trialId)) == 1);

    public Task<IReadOnlyList<TrialSnapshot>> GetTrialsAsync(long experimentId, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, number, owner, end_state, epochs, best, max_epochs, latest FROM test_trials ORDER BY number";
        using var reader = command.ExecuteReader();
        var rows = new List<TrialSnapshot>();
        while (reader.Read())
        {
            rows.Add(new TrialSnapshot(reader.GetInt64(0), reader.GetInt32(1), !reader.IsDBNull(2),
                reader.IsDBNull(3) ? null : Enum.Parse<TrialEndState>(reader.GetString(3)), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetDouble(7)));
        }

        return Task.FromResult<IReadOnlyList<TrialSnapshot>>(rows);
    }

    public Task<IReadOnlyList<EpochScore>> GetScoresAsync(long trialId, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT epoch, accuracy FROM test_epochs WHERE trial = $id ORDER BY epoch";
        command.Parameters.AddWithValue("$id", trialId);
        using var reader = command.ExecuteReader();
        var scores = new List<EpochScore>();
        while (reader.Read())
        {
            scores.Add(new EpochScore(reader.GetInt32(0), reader.GetDouble(1)));
        }

        return Task.FromResult<IReadOnlyList<EpochScore>>(scores);
    }

    /// <summary>Per trial: how many final transitions, its end state, and its stored epochs.</summary>
    public IReadOnlyList<(long Id, int Finishes, string? EndState, int Epochs, int Claims)> Audit()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, finishes, end_state, (SELECT COUNT(*) FROM test_epochs WHERE trial = id), claims FROM test_trials ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, int, string?, int, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return rows;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private (string? State, int Epochs, double? Best) Read(long trialId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT end_state, epochs, best FROM test_trials WHERE id = $id";
        command.Parameters.AddWithValue("$id", trialId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)) : (null, 0, null);
    }

    private Task<bool> Owned(string sql, long trialId, string workerId) =>
        Task.FromResult(Execute(sql, ("$now", Now()), ("$id", trialId), ("$owner", workerId)) == 1);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private long Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)command.ExecuteScalar()!;
    }
}
