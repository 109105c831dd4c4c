using AutoNet.Models.Backbones;
using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;

namespace AutoNet.Models.Tests.Backbones;

using Torch = AutoNet.Torch.Torch;

/// <summary>Freezing by stages: no gradients, BatchNorm statistics and stochastic depth as in eval mode, undone by Unfreeze.</summary>
public sealed class BackboneFreezingTests
{
    public static TheoryData<string> Names => new(BackboneFactory.Names);

    [Fact]
    public void Freezing_all_but_the_last_two_stages_leaves_only_them_and_the_classifier_trainable()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(1);
        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 4 });
        model.FreezeAllButLast(2);
        Assert.Equal(3, model.FrozenStageCount);
        string[] trainable = ["layer3.", "layer4.", "fc."];
        foreach (var (key, parameter) in model.NamedParameters())
        {
            Assert.Equal(trainable.Any(p => key.StartsWith(p, StringComparison.Ordinal)), parameter.RequiresGrad);
        }

        var expected = model.NamedParameters().Where(p => trainable.Any(t => p.Key.StartsWith(t, StringComparison.Ordinal))).Sum(p => p.Value.NumEl);
        Assert.Equal(expected, model.ParameterCount(onlyTrainable: true));

        model.Train();
        model.Forward(Torch.Randn([2, 3, 32, 32])).Sum().Backward();
        foreach (var (key, parameter) in model.NamedParameters())
        {
            using var grad = parameter.Grad;
            Assert.True(parameter.RequiresGrad == grad is not null, $"{key}: requires grad {parameter.RequiresGrad}, has a gradient {grad is not null}");
        }
    }

    [Fact]
    public void Training_the_head_of_a_frozen_mobilenet_changes_nothing_in_the_frozen_stages_until_it_is_unfrozen()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(5);
        using var model = BackboneFactory.Create("mobilenet_v2", new BackboneOptions { NumClasses = 3 });
        model.FreezeAllButLast(1);
        Assert.Equal(model.ClassifierParameters().Concat(Stage(model, "last_conv").Select(e => e.Value)).Sum(p => p.NumEl),
            model.TrainableParameters().Sum(p => p.NumEl));
        var frozen = model.StateDict().Where(e => !e.Key.StartsWith("features.18.", StringComparison.Ordinal) && !e.Key.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value.Clone());
        var before = model.StateDict().ToDictionary(e => e.Key, e => e.Value.Clone());
        var input = Torch.Randn([4, 3, 32, 32]);
        var labels = Torch.FromArray(new long[] { 0, 1, 2, 0 }, 4);
        model.Train();
        using (var optimizer = new SGD(model.TrainableParameters(), learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4))
        {
            for (var step = 0; step < 2; step++)
            {
                using var stepScope = Torch.NewDisposeScope();
                optimizer.ZeroGrad();
                Functional.CrossEntropy(model.Forward(input), labels).Backward();
                optimizer.Step();
            }
        }

        Assert.All(frozen, e => Assert.True(e.Value.Equal(model.StateDict()[e.Key]), $"frozen {e.Key} changed"));
        Assert.False(before["classifier.1.weight"].Equal(model.StateDict()["classifier.1.weight"]));
        Assert.False(before["features.18.1.running_mean"].Equal(model.StateDict()["features.18.1.running_mean"]));

        model.Unfreeze();
        using (var optimizer = new SGD(model.TrainableParameters(), learningRate: 0.01))
        {
            optimizer.ZeroGrad();
            Functional.CrossEntropy(model.Forward(input), labels).Backward();
            optimizer.Step();
        }

        Assert.False(frozen["features.0.0.weight"].Equal(model.StateDict()["features.0.0.weight"]));
        Assert.False(frozen["features.0.1.running_mean"].Equal(model.StateDict()["features.0.1.running_mean"]));
    }

    [Fact]
    public void Frozen_batchnorms_keep_their_running_statistics_in_training_mode()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(2);
        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 4 });
        model.FreezeStages(2);
        model.Train();
        var state = model.StateDict();
        string[] frozen = ["bn1.running_mean", "bn1.num_batches_tracked", "layer1.1.bn2.running_var"];
        string[] trainable = ["layer2.0.bn1.running_mean", "layer4.1.bn2.running_var", "layer4.1.bn2.num_batches_tracked"];
        var before = frozen.Concat(trainable).ToDictionary(k => k, k => state[k].Clone());
        model.Forward(Torch.Randn([2, 3, 32, 32]));
        Assert.All(frozen, k => Assert.True(before[k].Equal(state[k]), $"{k} changed"));
        Assert.All(trainable, k => Assert.False(before[k].Equal(state[k]), $"{k} did not change"));
    }

    [Fact]
    public void A_fully_frozen_efficientnet_computes_in_training_mode_what_it_computes_in_eval_mode()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(3);
        using var model = BackboneFactory.Create("efficientnet_b0", new BackboneOptions { NumClasses = 4, StochasticDepthProb = 0.5 });
        var input = Torch.Randn([4, 3, 32, 32]);
        using var noGrad = Torch.NoGrad();
        model.Eval();
        var eval = model.ForwardFeatures(input);

        model.Train();
        model.FreezeFraction(1);
        Assert.Equal(model.Stages.Count, model.FrozenStageCount);
        Assert.True(eval.Equal(model.ForwardFeatures(input)));
        Assert.True(eval.Equal(model.ForwardFeatures(input)));

        // The same call unfrozen uses batch statistics and drops paths: the comparison above can fail.
        model.Unfreeze();
        Assert.False(eval.AllClose(model.ForwardFeatures(input)));
    }

    [Fact]
    public void Unfreezing_makes_every_stage_trainable_again()
    {
        Torch.ManualSeed(4);
        using var model = BackboneFactory.Create("efficientnet_b0", new BackboneOptions { NumClasses = 4 });
        model.FreezeStages(model.Stages.Count);
        Assert.Equal(model.ParameterCount() - (1280 * 4 + 4), model.ParameterCount() - model.ParameterCount(onlyTrainable: true));
        model.Unfreeze();
        Assert.Equal(0, model.FrozenStageCount);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(model.Modules().OfType<FreezableBatchNorm2d>(), m => Assert.False(m.Frozen));
        Assert.All(model.Modules().OfType<MBConv>(), m => Assert.False(m.Frozen));
    }

    [Theory]
    [InlineData("resnet18", 0.5, 3)]
    [InlineData("resnet18", 0.39, 2)]
    [InlineData("efficientnet_b0", 0.5, 5)]
    [InlineData("mobilenet_v2", 0, 0)]
    [InlineData("mobilenet_v2", 1, 9)]
    public void A_frozen_fraction_rounds_to_whole_stages(string name, double fraction, int frozen)
    {
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 2 });
        model.FreezeFraction(fraction);
        Assert.Equal(frozen, model.FrozenStageCount);
    }

    [Fact]
    public void Impossible_freezing_requests_are_refused()
    {
        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FreezeStages(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FreezeAllButLast(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FreezeFraction(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.FreezeFraction(double.NaN));
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> Stage(Backbone model, string name)
    {
        var stage = model.Stages.Single(s => s.Name == name);
        return model.NamedParameters().Where(p => stage.Prefixes.Any(prefix => p.Key.StartsWith(prefix + ".", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_backbone_parameter_is_in_exactly_one_stage_and_the_classifier_in_none(string name)
    {
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 2 });
        foreach (var (key, _) in model.NamedParameters())
        {
            var module = key[..key.LastIndexOf('.')];
            var stages = model.Stages.Count(s => s.Prefixes.Any(p => module == p || module.StartsWith(p + ".", StringComparison.Ordinal)));
            Assert.True(stages == (key.StartsWith(model.ClassifierPrefix + ".", StringComparison.Ordinal) ? 0 : 1), $"{key} is in {stages} stages");
        }
    }
}
