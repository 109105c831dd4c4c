namespace AutoNet.Scheduling.Store;

/// <summary>
/// Where a trial's checkpoint lives besides the local workspace, so a worker on another machine (no shared disk)
/// resumes the trial from it: AutoNet.Store's table of checkpoints on PostgreSQL.
/// </summary>
public interface ICheckpointShelf
{
    /// <summary>Keeps the checkpoint folder written after <paramref name="epoch"/>; only the trial's running owner may.</summary>
    Task SaveAsync(long trialId, string owner, string directory, int epoch, CancellationToken cancellationToken);

    /// <summary>Brings the kept checkpoint into <paramref name="directory"/> when it is further along than the local one (or there is none); true when it did.</summary>
    Task<bool> RestoreAsync(long trialId, string directory, CancellationToken cancellationToken);
}
