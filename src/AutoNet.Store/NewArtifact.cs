namespace AutoNet.Store;

/// <summary>
/// A file a trial produced. The store records it and never reads or writes the file; adding the same
/// path for a trial again replaces the record (a checkpoint rewritten every epoch).
/// </summary>
/// <param name="Sha256">Lower- or upper-case hex SHA-256 of the file (64 digits); stored lower-case.</param>
public sealed record NewArtifact(ArtifactKind Kind, string Path, long SizeBytes, string Sha256);
