namespace AutoNet.Models.Tests.Backbones;

/// <summary>Tests that count live tensors run alone, so no other test's tensors move the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCollection
{
    public const string Name = "models live tensor counting";
}
