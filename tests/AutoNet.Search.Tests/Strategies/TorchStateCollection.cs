namespace AutoNet.Search.Tests.Strategies;

/// <summary>Tests that seed libtorch's process-wide generator run alone, so no other test reseeds it mid-way.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchStateCollection
{
    public const string Name = "libtorch global generator";
}
