using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Tests.Backbones;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Cells;

[Collection(LiveTensorCollection.Name)]
public sealed class CellNetworkTests
{
    private static readonly CellNetworkSettings Small = new(InitialChannels: 8, CellsPerStage: 1, Stages: 3, InputChannels: 1, NumClasses: 4);

    public CellNetworkTests() => torch.set_num_threads(1);

    [Fact]
    public void Counts_of_a_tiny_network_match_a_hand_count()
    {
        // One identity block per normal cell, one max-pool block per reduction cell; C = 2, stem 1→2 channels.
        var genotype = new Genotype(PublishedGenotypes.Cell([("skip_connect", 0), ("skip_connect", 1)]), PublishedGenotypes.Cell([("max_pool_3x3", 0), ("max_pool_3x3", 1)]));
        var settings = new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, InputChannels: 1, NumClasses: 2, StemMultiplier: 1);

        // stem: 3x3 conv 1→2 (18 weights; 2·16·9 = 288 MACs at 4x4) + BN (4).
        // cell 0, normal, C = 2 at 4x4: two 1x1 convs 2→2 (4 weights, 64 MACs each) + two BNs (4 each).
        // cell 1, reduction, C = 4 at 4x4: two 1x1 convs 2→4 (8 weights, 128 MACs each) + two BNs (8 each).
        // cell 2, normal after a reduction, C = 4 at 2x2: factorized reduce 2→4 (two 1x1 convs 2→2 at 2x2 out: 4 weights, 16 MACs each; BN 8),
        //   1x1 conv 4→4 (16 weights, 64 MACs) + BN (8).
        // classifier 4→2: 10 parameters, 8 MACs.
        var expected = new ModelComplexity(Parameters: 22 + 16 + 32 + 40 + 10, MultiplyAdds: 288 + 128 + 256 + 96 + 8);
        Assert.Equal(expected, CellNetwork.Complexity(genotype, settings, 4, 4));
        using var model = new CellNetwork(genotype, settings);
        Assert.Equal(expected.Parameters, model.ParameterCount());
    }

    [Fact]
    public void Darts_v2_on_cifar_has_the_published_size()
    {
        // DARTS (second order) on CIFAR-10: 36 initial channels, 20 cells, 3.3M parameters (Liu et al. 2019, Table 1);
        // DARTS' train.py logs "param size = 3.349342MB" for it (the auxiliary head excluded, as here).
        var complexity = CellNetwork.Complexity(PublishedGenotypes.DartsV2, new CellNetworkSettings(InitialChannels: 36, CellsPerStage: 6, Stages: 3), 32, 32);
        Assert.Equal(3_349_342, complexity.Parameters);
    }

    [Fact]
    public void An_odd_size_at_a_reduction_is_named_before_building()
    {
        var settings = Small with { Stages = 4 };
        var e = Assert.Throws<ArgumentException>(() => CellNetwork.Complexity(PublishedGenotypes.DartsV2, settings, 28, 28));
        Assert.Contains("cell 5 (reduction)", e.Message, StringComparison.Ordinal);
        Assert.Contains("7x7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_alternate_as_stages_say()
    {
        var settings = new CellNetworkSettings(CellsPerStage: 2, Stages: 3);
        Assert.Equal(8, settings.CellCount);
        Assert.Equal([2, 5], Enumerable.Range(0, settings.CellCount).Where(settings.IsReduction));
        using var model = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        Assert.Equal([false, true, false, true, false], model.Cells.Select(c => c.IsReduction));
        Assert.Equal([8L, 16, 16, 32, 32], model.Cells.Select(c => c.Channels));
    }

    [Fact]
    public void Drop_path_changes_training_outputs_only_and_follows_the_seed()
    {
        using var model = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        using var input = torch.randn(2, 1, 16, 16);
        model.eval();
        using var eval0 = Forward(model, input, 0.0, seed: 1);
        using var eval1 = Forward(model, input, 0.5, seed: 1);
        Assert.True(eval0.Same(eval1), "drop-path must not act in eval mode");

        model.train();
        using var plain = Forward(model, input, 0.0, seed: 1);
        using var dropped = Forward(model, input, 0.5, seed: 1);
        using var again = Forward(model, input, 0.5, seed: 1);
        Assert.False(plain.Same(dropped));
        Assert.True(dropped.Same(again));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.DropPathProbability = 1.0);
    }

    [Fact]
    public void Drop_path_spares_identity_edges()
    {
        // A cell of identities only: with drop-path at its highest, training output equals the drop-path-free one.
        var identities = new Genotype(PublishedGenotypes.Cell([("skip_connect", 0), ("skip_connect", 1)]), PublishedGenotypes.Cell([("max_pool_3x3", 0), ("max_pool_3x3", 1)]));
        var settings = Small with { Stages = 1, CellsPerStage = 2 };
        using var model = new CellNetwork(identities, settings);
        model.train();
        using var input = torch.randn(2, 1, 8, 8);
        using var plain = Forward(model, input, 0.0, seed: 2);
        using var dropped = Forward(model, input, 0.9, seed: 2);
        Assert.True(plain.allclose(dropped, 1e-6, 1e-6));
    }

    [Fact]
    public void The_same_seed_builds_the_same_weights()
    {
        torch.manual_seed(5);
        using var a = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        torch.manual_seed(5);
        using var b = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        torch.manual_seed(6);
        using var c = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        Assert.All(a.state_dict().Keys, key => Assert.True(a.state_dict()[key].Same(b.state_dict()[key]), key));
        Assert.False(a.state_dict()["stem.0.weight"].Same(c.state_dict()["stem.0.weight"]));
    }

    [Fact]
    public void Features_are_what_the_classifier_reads()
    {
        using var model = new CellNetwork(PublishedGenotypes.DartsV2, Small);
        model.eval();
        using var input = torch.randn(2, 1, 16, 16);
        using var features = model.ForwardFeatures(input);
        Assert.Equal([2L, model.FeatureCount], features.shape);
        Assert.Equal(4 * 32, model.FeatureCount);
        var classifier = (TorchSharp.Modules.Linear)model.named_children().Single(c => c.name == "classifier").module;
        using var logits = model.forward(input);
        using var fromFeatures = classifier.forward(features);
        Assert.True(logits.Same(fromFeatures));
    }

    [Fact]
    public void Unknown_ops_and_strides_are_rejected_by_the_registry()
    {
        Assert.Contains("'conv_9x9'", Assert.Throws<ArgumentException>(() => CellOps.Create("conv_9x9", 8, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CellOps.Create(OpNames.SepConv3x3, 8, 3));
        foreach (var op in OpNames.All)
        {
            using var module = CellOps.Create(op, 4, 2);
            using var x = torch.randn(1, 4, 8, 8);
            using var y = module.forward(x);
            Assert.Equal([1L, 4, 4, 4], y.shape);
            var counter = new ComplexityCounter();
            Assert.Equal((4L, 4L), CellOps.Count(op, 4, 2, (8, 8), counter));
            Assert.Equal(module.ParameterCount(), counter.Parameters);
        }
    }

    [Fact]
    public void Training_steps_leave_no_tensor_behind()
    {
        using var cells = new CellNetwork(PublishedGenotypes.NasNetA, Small with { DropPath = 0.2 });
        using var macro = new MacroCnnNetwork(new MacroCnnConfig(1, 4, [new(8, 1), new(8, 2, Residual: true)], MacroCnnDownsampling.StridedConv));
        foreach (var model in new nn.Module<Tensor, Tensor>[] { cells, macro })
        {
            using var input = torch.randn(2, 1, 16, 16);
            Step(model, input);
            var before = TorchEngine.CountLiveTensors();
            for (var i = 0; i < 3; i++)
            {
                Step(model, input);
            }

            var after = TorchEngine.CountLiveTensors();
            Assert.True(before == after, $"{model.GetType().Name}: {before} tensors alive before three steps, {after} after");
        }
    }

    private static void Step(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        model.train();
        using var logits = model.forward(input);
        using var loss = logits.sum();
        model.zero_grad();
        loss.backward();
    }

    private static Tensor Forward(CellNetwork model, Tensor input, double dropPath, long seed)
    {
        model.DropPathProbability = dropPath;
        torch.manual_seed(seed);
        using (torch.no_grad())
        {
            return model.forward(input);
        }
    }
}
