namespace AutoNet.Data;

/// <summary>Progress of a long data operation: its stage ("reading headers", "decoding", …) and items done of total.</summary>
public readonly record struct DataProgress(string Stage, long Done, long Total);
