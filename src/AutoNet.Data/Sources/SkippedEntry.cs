namespace AutoNet.Data.Sources;

/// <summary>An entry left out of a listing, with the reason and a human-readable detail.</summary>
public sealed record SkippedEntry(string Path, SkipReason Reason, string Detail);
