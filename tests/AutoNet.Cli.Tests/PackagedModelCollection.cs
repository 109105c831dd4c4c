namespace AutoNet.Cli.Tests;

/// <summary>
/// The tests that use the packaged model share it, and run one at a time: libtorch's thread count and seed are
/// process-wide.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagedModelCollection : ICollectionFixture<PackagedModelFixture>
{
    public const string Name = "packaged model";
}
