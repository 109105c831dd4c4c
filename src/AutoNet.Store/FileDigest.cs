namespace AutoNet.Store;

/// <summary>A file as written: its full path, size and lower-case hex SHA-256 (what an <see cref="NewArtifact"/> records).</summary>
public sealed record FileDigest(string Path, long SizeBytes, string Sha256)
{
    public NewArtifact ToArtifact(ArtifactKind kind) => new(kind, Path, SizeBytes, Sha256);
}
