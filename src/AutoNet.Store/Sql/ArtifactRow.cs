namespace AutoNet.Store.Sql;

/// <summary>An artifacts row as Dapper reads it.</summary>
internal sealed class ArtifactRow
{
    public const string Columns =
        "id AS Id, trial_id AS TrialId, kind AS Kind, path AS Path, size_bytes AS SizeBytes, sha256 AS Sha256, created_at AS CreatedAt";

    public long Id { get; set; }
    public long TrialId { get; set; }
    public string Kind { get; set; } = "";
    public string Path { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    public long CreatedAt { get; set; }

    public Artifact ToArtifact() =>
        new(Id, TrialId, StoredValues.Parse<ArtifactKind>(Kind, "artifacts.kind"), Path, SizeBytes, Sha256, UnixTime.ToTime(CreatedAt));
}
