using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;

namespace AutoNet.Cli.Tests;

/// <summary>The transfer space as an experiment stores it once --backbone-weights names a model package.</summary>
[Collection(PackagedModelCollection.Name)]
public sealed class TransferBackboneTests(PackagedModelFixture fixture)
{
    [Fact]
    public void A_macro_cnn_package_is_fixed_as_the_backbone_at_its_own_resolution_with_only_heads_that_fit_pooled_features()
    {
        var json = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("transfer"));

        var (pinned, reason, channels) = TransferBackbone.Pin(json, fixture.Package);

        var space = new SearchSpaceReader().Parse(pinned, "pinned");
        Assert.False(space.TryGetDecision(SpaceLabels.Backbone, out _));
        Assert.False(space.TryGetDecision(SpaceLabels.InputResolution, out _));
        Assert.True(space.TryGetFixed(TransferBlueprint.PretrainedPackage, out var package));
        Assert.Equal(Path.GetFullPath(fixture.Package), package.AsString());
        Assert.True(space.TryGetFixed("input_resolution", out var resolution));
        Assert.Equal(20, resolution.AsInt32());
        Assert.Equal(["linear", "mlp"], ((CategoricalParameter)space[SpaceLabels.Head]).Choices.Select(c => c.AsString()));
        Assert.Equal(1, channels);
        Assert.Contains("a cell head needs a feature map", reason, StringComparison.Ordinal);
    }
}
