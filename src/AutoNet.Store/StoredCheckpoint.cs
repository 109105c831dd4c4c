namespace AutoNet.Store;

/// <summary>
/// A trial's training checkpoint as the store keeps it for workers that share no disk (PostgreSQL): the checkpoint
/// folder packed into one archive, the epoch it was written after, and the archive's SHA-256.
/// </summary>
public sealed record StoredCheckpoint(long TrialId, long Epoch, byte[] Archive, string Sha256, DateTimeOffset SavedAt);
