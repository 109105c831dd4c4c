using AutoNet.Models.Backbones;
using AutoNet.Torch.Modules;
using AutoNet.Torch.Optimizers;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Backbones;

/// <summary>Freezing by stages: no gradients, BatchNorm statistics and stochastic depth as in eval mode, undone by Unfreeze.</summary>
public sealed class BackboneFreezingTests
{
    public static TheoryData<string> Names => new(BackboneFactory.Names);

    [Fact]
    public void Freezing_all_but_the_last_two_stages_leaves_only_them_and_the_classifier_trainable()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 4 });
        model.FreezeAllButLast(2);
        Assert.Equal(3, model.FrozenStageCount);
        string[] trainable = ["layer3.", "layer4.", "fc."];
        foreach (var (key, parameter) in model.named_parameters())
        {
            Assert.Equal(trainable.Any(p => key.StartsWith(p, StringComparison.Ordinal)), parameter.requires_grad);
        }

        var expected = model.named_parameters().Where(p => trainable.Any(t => p.name.StartsWith(t, StringComparison.Ordinal))).Sum(p => p.parameter.numel());
        Assert.Equal(expected, model.ParameterCount(onlyTrainable: true));

        model.train();
        model.forward(torch.randn(2, 3, 32, 32)).sum().backward();
        foreach (var (key, parameter) in model.named_parameters())
        {
            using var grad = parameter.grad;
            Assert.True(parameter.requires_grad == grad is not null, $"{key}: requires grad {parameter.requires_grad}, has a gradient {grad is not null}");
        }
    }

    [Fact]
    public void Training_the_head_of_a_frozen_mobilenet_changes_nothing_in_the_frozen_stages_until_it_is_unfrozen()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        using var model = BackboneFactory.Create("mobilenet_v2", new BackboneOptions { NumClasses = 3 });
        model.FreezeAllButLast(1);
        Assert.Equal(model.ClassifierParameters().Concat(Stage(model, "last_conv").Select(e => e.parameter)).Sum(p => p.numel()),
            model.TrainableParameters().Sum(p => p.numel()));
        var frozen = model.state_dict().Where(e => !e.Key.StartsWith("features.18.", StringComparison.Ordinal) && !e.Key.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value.clone());
        var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
        var input = torch.randn(4, 3, 32, 32);
        var labels = torch.tensor(new long[] { 0, 1, 2, 0 });
        model.train();
        using (var optimizer = new FinalizerSafeSgd(model.TrainableParameters(), 0.1, momentum: 0.9, weightDecay: 1e-4))
        {
            for (var step = 0; step < 2; step++)
            {
                using var stepScope = torch.NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(input), labels).backward();
                optimizer.step();
            }
        }

        Assert.All(frozen, e => Assert.True(e.Value.Same(model.state_dict()[e.Key]), $"frozen {e.Key} changed"));
        Assert.False(before["classifier.1.weight"].Same(model.state_dict()["classifier.1.weight"]));
        Assert.False(before["features.18.1.running_mean"].Same(model.state_dict()["features.18.1.running_mean"]));

        model.Unfreeze();
        using (var optimizer = new FinalizerSafeSgd(model.TrainableParameters(), 0.01))
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(input), labels).backward();
            optimizer.step();
        }

        Assert.False(frozen["features.0.0.weight"].Same(model.state_dict()["features.0.0.weight"]));
        Assert.False(frozen["features.0.1.running_mean"].Same(model.state_dict()["features.0.1.running_mean"]));
    }

    [Fact]
    public void Frozen_batchnorms_keep_their_running_statistics_in_training_mode()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 4 });
        model.FreezeStages(2);
        model.train();
        var state = model.state_dict();
        string[] frozen = ["bn1.running_mean", "bn1.num_batches_tracked", "layer1.1.bn2.running_var"];
        string[] trainable = ["layer2.0.bn1.running_mean", "layer4.1.bn2.running_var", "layer4.1.bn2.num_batches_tracked"];
        var before = frozen.Concat(trainable).ToDictionary(k => k, k => state[k].clone());
        model.forward(torch.randn(2, 3, 32, 32));
        Assert.All(frozen, k => Assert.True(before[k].Same(state[k]), $"{k} changed"));
        Assert.All(trainable, k => Assert.False(before[k].Same(state[k]), $"{k} did not change"));
    }

    [Fact]
    public void A_fully_frozen_efficientnet_computes_in_training_mode_what_it_computes_in_eval_mode()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        using var model = BackboneFactory.Create("efficientnet_b0", new BackboneOptions { NumClasses = 4, StochasticDepthProb = 0.5 });
        var input = torch.randn(4, 3, 32, 32);
        using var noGrad = torch.no_grad();
        model.eval();
        var eval = model.ForwardFeatures(input);

        model.train();
        model.FreezeFraction(1);
        Assert.Equal(model.Stages.Count, model.FrozenStageCount);
        Assert.True(eval.Same(model.ForwardFeatures(input)));
        Assert.True(eval.Same(model.ForwardFeatures(input)));

        // The same call unfrozen uses batch statistics and drops paths: the comparison above can fail.
        model.Unfreeze();
        Assert.False(eval.allclose(model.ForwardFeatures(input)));
    }

    [Fact]
    public void Unfreezing_makes_every_stage_trainable_again()
    {
        torch.manual_seed(4);
        using var model = BackboneFactory.Create("efficientnet_b0", new BackboneOptions { NumClasses = 4 });
        model.FreezeStages(model.Stages.Count);
        Assert.Equal(model.ParameterCount() - (1280 * 4 + 4), model.ParameterCount() - model.ParameterCount(onlyTrainable: true));
        model.Unfreeze();
        Assert.Equal(0, model.FrozenStageCount);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(model.modules().OfType<FreezableBatchNorm2d>(), m => Assert.False(m.Frozen));
        Assert.All(model.modules().OfType<MBConv>(), m => Assert.False(m.Frozen));
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

    private static IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> Stage(Backbone model, string name)
    {
        var stage = model.Stages.Single(s => s.Name == name);
        return model.named_parameters().Where(p => stage.Prefixes.Any(prefix => p.name.StartsWith(prefix + ".", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_backbone_parameter_is_in_exactly_one_stage_and_the_classifier_in_none(string name)
    {
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 2 });
        foreach (var (key, _) in model.named_parameters())
        {
            var module = key[..key.LastIndexOf('.')];
            var stages = model.Stages.Count(s => s.Prefixes.Any(p => module == p || module.StartsWith(p + ".", StringComparison.Ordinal)));
            Assert.True(stages == (key.StartsWith(model.ClassifierPrefix + ".", StringComparison.Ordinal) ? 0 : 1), $"{key} is in {stages} stages");
        }
    }
}
