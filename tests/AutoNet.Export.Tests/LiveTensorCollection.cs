namespace AutoNet.Export.Tests;

/// <summary>Tests that count live tensors (a process-wide figure) run alone, so no other test's tensors move the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCollection
{
    public const string Name = "export live tensor counting";
}
