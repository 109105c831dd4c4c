using AutoNet.Models;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class ShippedSpacesTests
{
    public static TheoryData<string> Names => ["darts", "nasnet", "macro-cnn", "transfer"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_shipped_space_loads_with_the_common_hyperparameters(string name)
    {
        var space = TestSpaces.Shipped(name);

        Assert.Equal(name, space.Name);
        foreach (var label in new[]
        {
            SpaceLabels.Optimizer, SpaceLabels.Momentum, SpaceLabels.LearningRate, SpaceLabels.WeightDecay, SpaceLabels.BatchSize,
            SpaceLabels.Epochs, SpaceLabels.LabelSmoothing, SpaceLabels.AugmentStrength, SpaceLabels.Dropout, SpaceLabels.Schedule,
            SpaceLabels.WarmupEpochs, SpaceLabels.InputResolution,
        })
        {
            Assert.True(space.TryGetDecision(label, out _), $"{name} lacks {label}");
        }

        Assert.Equal(SpaceLabels.Optimizer, space[SpaceLabels.Momentum].Conditions.Single().Label);
        Assert.Equal([ParameterValue.Of("sgd")], space[SpaceLabels.Momentum].Conditions.Single().Values);
        Assert.True(Assert.IsType<FloatParameter>(space[SpaceLabels.LearningRate]).Log);
        Assert.True(Assert.IsType<FloatParameter>(space[SpaceLabels.WeightDecay]).Log);
        Assert.NotNull(space.MaxParams);
    }

    [Theory]
    [InlineData("darts")]
    [InlineData("nasnet")]
    [InlineData("macro-cnn")]
    public void Most_sampled_models_fit_the_bounds_of_their_space(string name)
    {
        // The ranges are meant for small images on a CPU: the bounds should trim the tail, not the bulk.
        var space = TestSpaces.Shipped(name);
        var random = new SearchRandom(1);

        var within = 0;
        for (var i = 0; i < 200; i++)
        {
            var sample = space.Sample(random);
            var size = sample.GetInt32(SpaceLabels.InputResolution);
            ModelComplexity complexity = space.Kind == SearchSpaceKind.Macro
                ? MacroCnnNetwork.Complexity(SampleConversions.ToMacroCnnConfig(space, sample, 1, 10), size, size)
                : CellNetwork.Complexity(SampleConversions.ToGenotype(space, sample), SampleConversions.ToCellNetworkSettings(space, sample, 1, 10), size, size);
            within += space.CheckBounds(complexity) is null ? 1 : 0;
        }

        Assert.InRange(within, 180, 200);
    }

    [Fact]
    public void Every_json_file_in_the_catalog_folders_loads()
    {
        var files = SearchSpaceCatalog.Default.Folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.json")).ToList();

        Assert.True(files.Count >= 4, string.Join(", ", SearchSpaceCatalog.Default.Folders));
        Assert.All(files, f => Assert.Equal(Path.GetFileNameWithoutExtension(f), new SearchSpaceReader().Load(f).Name));
    }

    [Fact]
    public void The_shipped_files_are_the_whole_catalog()
    {
        Assert.Equal(["darts", "macro-cnn", "macro-cnn-quick", "macro-cnn-small-images", "macro-cnn-tiny", "nasnet", "transfer"], SearchSpaceCatalog.Default.Names);
    }

    [Fact]
    public void Darts_has_four_blocks_over_the_eight_darts_ops_and_the_macro_choices()
    {
        var space = TestSpaces.Shipped("darts");

        Assert.Equal(SearchSpaceKind.Cell, space.Kind);
        Assert.Equal(4, space.Cell!.Blocks);
        Assert.Equal(OpNames.Darts, space.Cell.Ops);
        Assert.Equal(["normal", "reduction"], space.Cell.Cells);
        Assert.Equal(CellConcat.All, space.Cell.Concat);
        Assert.Equal([SpaceLabels.InitChannels, SpaceLabels.CellsPerStage, SpaceLabels.Stages], space.Architecture.Select(d => d.Label));
        Assert.True(space.TryGetDecision(SpaceLabels.DropPath, out _));
    }

    [Fact]
    public void Nasnet_has_five_blocks_over_the_nasnet_ops_of_the_registry()
    {
        var space = TestSpaces.Shipped("nasnet");

        Assert.Equal(5, space.Cell!.Blocks);
        Assert.Equal(OpNames.NasNet, space.Cell.Ops);
        Assert.Equal(CellConcat.Unused, space.Cell.Concat);
        Assert.Equal(5 * 4 * 2, space.Decisions.Count(d => d.Role is DecisionRole.CellInput or DecisionRole.CellOp));
    }

    [Fact]
    public void Macro_cnn_stages_beyond_the_second_exist_only_when_there_are_that_many()
    {
        var space = TestSpaces.Shipped("macro-cnn");

        Assert.Equal(SearchSpaceKind.Macro, space.Kind);
        Assert.Null(space.Cell);
        Assert.False(space[SpaceLabels.StageWidth(2)].IsConditional);
        Assert.Equal("arch/stages in [3, 4]", space[SpaceLabels.StageKernel(3)].Conditions.Single().ToString());
        Assert.Equal("arch/stages = 4", space[SpaceLabels.StageDepth(4)].Conditions.Single().ToString());
        var random = new SearchRandom(2);
        for (var i = 0; i < 100; i++)
        {
            var sample = space.Sample(random);
            var stages = sample.GetInt32(SpaceLabels.Stages);
            Assert.All(Enumerable.Range(1, 4), s => Assert.Equal(s <= stages, sample.Contains(SpaceLabels.StageWidth(s))));
        }
    }

    [Fact]
    public void Transfer_searches_a_backbone_a_head_and_a_cell_only_when_the_head_is_a_cell()
    {
        var space = TestSpaces.Shipped("transfer");

        Assert.Equal(SearchSpaceKind.Transfer, space.Kind);
        Assert.Equal(
            ["resnet18", "resnet34", "resnet50", "mobilenet_v2", "efficientnet_b0"],
            Assert.IsType<CategoricalParameter>(space[SpaceLabels.Backbone]).Choices.Select(c => c.AsString()));
        Assert.Equal(["linear", "mlp", "cell"], Assert.IsType<CategoricalParameter>(space[SpaceLabels.Head]).Choices.Select(c => c.AsString()));
        Assert.Equal(["normal"], space.Cell!.Cells);
        Assert.True(space.TryGetFixed(SpaceLabels.PretrainedWeights, out var weights));
        Assert.Contains("{backbone}", weights.AsString(), StringComparison.Ordinal);
        Assert.True(space.TryGetDecision(SpaceLabels.HeadOnlyEpochs, out _));
        Assert.True(space.TryGetDecision(SpaceLabels.UnfreezeLrMultiplier, out _));

        var random = new SearchRandom(6);
        var samples = Enumerable.Range(0, 300).Select(_ => space.Sample(random)).ToList();
        Assert.All(samples, s => Assert.Equal(s.GetString(SpaceLabels.Head) == "cell", s.Contains("normal/block1/op1")));
        Assert.All(samples, s => Assert.Equal(s.GetString(SpaceLabels.Head) == "mlp", s.Contains(SpaceLabels.HeadHidden)));
        Assert.All(samples, s => Assert.False(s.Contains("reduction/block0/op0")));
    }
}
