using Dapper;

namespace AutoNet.Store.Sql;

internal abstract partial class SqlExperimentStore
{
    public Task SaveCheckpointAsync(long trialId, string workerId, long epoch, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var bytes = archive.ToArray();
        var sha = AtomicFile.Sha256Of(bytes);
        return WriteAsync(async (c, tx, ct) =>
        {
            var now = Now;
            await RequireOwnerAsync(c, tx, trialId, workerId, now, ct).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO trial_checkpoints (trial_id, epoch, archive, sha256, saved_at) VALUES (@Trial, @Epoch, @Archive, @Sha, @Now) " +
                "ON CONFLICT (trial_id) DO UPDATE SET epoch = excluded.epoch, archive = excluded.archive, sha256 = excluded.sha256, saved_at = excluded.saved_at",
                new { Trial = trialId, Epoch = epoch, Archive = bytes, Sha = sha, Now = now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<StoredCheckpoint?> LoadCheckpointAsync(long trialId, CancellationToken cancellationToken = default) =>
        ReadAsync(async (c, ct) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<CheckpointRow>(new CommandDefinition(
                "SELECT trial_id AS TrialId, epoch AS Epoch, archive AS Archive, sha256 AS Sha256, saved_at AS SavedAt FROM trial_checkpoints WHERE trial_id = @Id",
                new { Id = trialId }, cancellationToken: ct)).ConfigureAwait(false);
            return row is null ? null : new StoredCheckpoint(row.TrialId, row.Epoch, row.Archive, row.Sha256, UnixTime.ToTime(row.SavedAt));
        }, cancellationToken);

    public Task SaveInputAsync(long experimentId, string path, bool isFolder, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(path, nameof(path));
        var bytes = archive.ToArray();
        var sha = AtomicFile.Sha256Of(bytes);
        return WriteAsync(async (c, tx, ct) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO experiment_inputs (experiment_id, path, is_folder, archive, sha256, saved_at) " +
                "SELECT @Experiment, @Path, @Folder, @Archive, @Sha, @Now WHERE EXISTS (SELECT 1 FROM experiments WHERE id = @Experiment) " +
                "ON CONFLICT (experiment_id, path) DO UPDATE SET is_folder = excluded.is_folder, archive = excluded.archive, sha256 = excluded.sha256, saved_at = excluded.saved_at",
                new { Experiment = experimentId, Path = path, Folder = isFolder ? 1L : 0L, Archive = bytes, Sha = sha, Now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            RequireExperiment(n, experimentId);
            return 0;
        }, cancellationToken);
    }

    public Task<StoredInput?> LoadInputAsync(long experimentId, string path, CancellationToken cancellationToken = default) =>
        ReadAsync(async (c, ct) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<InputRow>(new CommandDefinition(
                "SELECT is_folder AS IsFolder, archive AS Archive, sha256 AS Sha256 FROM experiment_inputs WHERE experiment_id = @Experiment AND path = @Path",
                new { Experiment = experimentId, Path = path }, cancellationToken: ct)).ConfigureAwait(false);
            return row is null ? null : new StoredInput(experimentId, path, row.IsFolder != 0, row.Archive, row.Sha256);
        }, cancellationToken);

    private sealed class InputRow
    {
        public long IsFolder { get; set; }
        public byte[] Archive { get; set; } = [];
        public string Sha256 { get; set; } = "";
    }

    private sealed class CheckpointRow
    {
        public long TrialId { get; set; }
        public long Epoch { get; set; }
        public byte[] Archive { get; set; } = [];
        public string Sha256 { get; set; } = "";
        public long SavedAt { get; set; }
    }
}
