using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SampleConversionsTests
{
    [Fact]
    public void A_darts_sample_becomes_a_genotype_with_the_sampled_inputs_and_ops()
    {
        var space = TestSpaces.Shipped("darts");
        var sample = space.Sample(new SearchRandom(31));

        var genotype = SampleConversions.ToGenotype(space, sample);

        Assert.Equal(4, genotype.Normal.Blocks.Count);
        Assert.Equal(4, genotype.Reduction.Blocks.Count);
        Assert.Equal(sample.GetString("reduction/block2/op1"), genotype.Reduction.Blocks[2].Second.Op);
        Assert.Equal(sample.GetInt32("normal/block3/input0"), genotype.Normal.Blocks[3].First.Input);
        Assert.Equal([2, 3, 4, 5], genotype.Normal.Concat);
        Assert.Equal(genotype, Genotype.FromJson(genotype.ToJson()));
    }

    [Fact]
    public void A_genotype_and_its_cell_decisions_convert_both_ways()
    {
        var space = TestSpaces.Shipped("darts");

        var cells = SampleConversions.FromGenotype(space, PublishedGenotypes.DartsV2);
        var sample = space.Complete(cells, new SearchRandom(1));

        Assert.Equal(2 * 4 * 2 * 2, cells.Count);
        Assert.Equal(cells.Entries, sample.Entries.Where(e => cells.Contains(e.Key)));
        Assert.Equal(PublishedGenotypes.DartsV2.Hash, SampleConversions.ToGenotype(space, sample).Hash);
    }

    [Fact]
    public void A_nasnet_sample_concatenates_the_unused_block_outputs()
    {
        var space = TestSpaces.Shipped("nasnet");
        var sample = space.Sample(new SearchRandom(13));

        var genotype = SampleConversions.ToGenotype(space, sample);

        Assert.Null(genotype.Reduction.Concat);
        var read = Enumerable.Range(0, 5).SelectMany(b => new[] { sample.GetInt32($"reduction/block{b}/input0"), sample.GetInt32($"reduction/block{b}/input1") }).ToHashSet();
        Assert.Equal(Enumerable.Range(2, 5).Where(s => !read.Contains(s)), genotype.Reduction.OutputStates);
    }

    [Fact]
    public void A_genotype_with_ops_outside_the_space_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleConversions.FromGenotype(TestSpaces.Shipped("darts"), PublishedGenotypes.NasNetA));

        Assert.Contains("darts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_sample_gives_the_network_settings()
    {
        var space = TestSpaces.Shipped("nasnet");
        var sample = space.Sample(new SearchRandom(4));

        var settings = SampleConversions.ToCellNetworkSettings(space, sample, inputChannels: 1, numClasses: 10);

        Assert.Equal(sample.GetInt32(SpaceLabels.InitChannels), settings.InitialChannels);
        Assert.Equal(sample.GetInt32(SpaceLabels.CellsPerStage), settings.CellsPerStage);
        Assert.Equal(sample.GetInt32(SpaceLabels.Stages), settings.Stages);
        Assert.Equal(sample.GetDouble(SpaceLabels.DropPath), settings.DropPath);
        Assert.Equal(1, settings.InputChannels);
    }

    [Fact]
    public void A_macro_cnn_sample_gives_a_valid_config_with_one_stage_per_sampled_stage()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var random = new SearchRandom(12);
        for (var i = 0; i < 50; i++)
        {
            var sample = space.Sample(random);

            var config = SampleConversions.ToMacroCnnConfig(space, sample, inputChannels: 1, numClasses: 10);

            Assert.Equal(sample.GetInt32(SpaceLabels.Stages), config.Stages.Count);
            Assert.Equal(sample.GetInt32(SpaceLabels.StageWidth(2)), config.Stages[1].Width);
            Assert.Equal(sample.GetInt32(SpaceLabels.StageKernel(1)), config.Stages[0].KernelSize);
            Assert.All(config.Stages, s => Assert.Equal(sample.GetBool(SpaceLabels.Residual), s.Residual));
            Assert.Equal(sample.GetString(SpaceLabels.GlobalPooling) == "max" ? GlobalPooling.Max : GlobalPooling.Average, config.GlobalPooling);
        }
    }

    [Fact]
    public void A_transfer_sample_with_a_cell_head_gives_its_normal_cell_only()
    {
        var space = TestSpaces.Shipped("transfer");
        var random = new SearchRandom(8);
        var withCell = Enumerable.Range(0, 100).Select(_ => space.Sample(random)).First(s => s.GetString(SpaceLabels.Head) == "cell");
        var withoutCell = space.Complete(withCell.With(SpaceLabels.Head, "linear"), random);

        var cell = SampleConversions.ToCellGenotype(space, withCell, "normal");

        Assert.Equal(2, cell.Blocks.Count);
        Assert.Contains("inactive", Assert.Throws<InvalidOperationException>(() => SampleConversions.ToCellGenotype(space, withoutCell, "normal")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SampleConversions.ToGenotype(space, withCell));
    }

    [Fact]
    public void A_sample_that_is_not_a_point_of_the_space_is_refused_before_conversion()
    {
        var space = TestSpaces.Shipped("darts");
        var sample = space.Sample(new SearchRandom(2)).With("normal/block0/input0", 3L);

        var error = Assert.Throws<SearchSampleException>(() => SampleConversions.ToGenotype(space, sample));

        Assert.Contains("'normal/block0/input0' is 3; expected one of [0, 1]", error.Message, StringComparison.Ordinal);
    }
}
