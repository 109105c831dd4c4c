namespace AutoNet.Data.Sources;

/// <summary>One CSV record: its fields and the line (1-based) it starts on.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);
