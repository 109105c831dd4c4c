namespace AutoNet.Models.Tests.Backbones;

/// <summary>The test classes that compare with torchvision share one run of it.</summary>
[CollectionDefinition(Name)]
public sealed class TorchvisionBackbonesCollection : ICollectionFixture<TorchvisionBackbones>
{
    public const string Name = "torchvision backbones";
}
