namespace AutoNet.Data.Tests;

/// <summary>Loader tests count live tensors (process-wide), so they run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoaderLiveTensorCollection
{
    public const string Name = "loader live tensor counting";
}
