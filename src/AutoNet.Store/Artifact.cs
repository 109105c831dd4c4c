namespace AutoNet.Store;

/// <summary>A recorded artifact of a trial.</summary>
public sealed record Artifact(long Id, long TrialId, ArtifactKind Kind, string Path, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);
