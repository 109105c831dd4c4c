namespace AutoNet.Data.Tests;

/// <summary>Tests that count live tensors (process-wide) run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoaderLiveTensorCollection
{
    public const string Name = "loader live tensor counting";
}
