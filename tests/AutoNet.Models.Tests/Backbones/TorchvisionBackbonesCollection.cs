namespace AutoNet.Models.Tests.Backbones;

/// <summary>
/// The test classes that compare with torchvision share one run of it. They run alone: the default-initialisation
/// test replays torchvision's random draws from the process-wide generator, which a test running beside it would
/// advance.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchvisionBackbonesCollection : ICollectionFixture<TorchvisionBackbones>
{
    public const string Name = "torchvision backbones";
}
