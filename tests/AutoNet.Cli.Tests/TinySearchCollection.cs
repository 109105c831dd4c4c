namespace AutoNet.Cli.Tests;

/// <summary>
/// The test classes that only read the tiny search's results (or copies of them) share one search: it is the slowest
/// part of their setup, and they run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TinySearchCollection : ICollectionFixture<TinySearchFixture>
{
    public const string Name = "tiny search";
}
