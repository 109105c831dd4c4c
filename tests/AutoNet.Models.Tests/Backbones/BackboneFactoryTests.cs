using AutoNet.Models.Backbones;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Backbones;

/// <summary>The registry, options, feature shapes and the stem adaptation rule.</summary>
public sealed class BackboneFactoryTests
{
    [Theory]
    [InlineData("resnet18", typeof(ResNet), 512, 5)]
    [InlineData("resnet34", typeof(ResNet), 512, 5)]
    [InlineData("resnet50", typeof(ResNet), 2048, 5)]
    [InlineData("mobilenet_v2", typeof(MobileNetV2), 1280, 9)]
    [InlineData("efficientnet_b0", typeof(EfficientNet), 1280, 9)]
    public void Every_registered_name_builds_its_architecture(string name, Type type, long featureDim, int stages)
    {
        using var scope = torch.NewDisposeScope();
        Assert.Contains(name, BackboneFactory.Names);
        using var model = BackboneFactory.Create(name, new BackboneOptions { NumClasses = 4, InChannels = 1 });
        Assert.IsType(type, model);
        Assert.Equal(name, model.Architecture);
        Assert.Equal(featureDim, model.FeatureDim);
        Assert.Equal(stages, model.Stages.Count);
        Assert.Equal(1L, model.state_dict()[model.StemConvWeightKey].shape[1]);
        model.eval();
        var input = torch.randn(2, 1, 64, 64);
        Assert.Equal([2L, featureDim, 2, 2], model.ForwardFeatureMap(input).shape);
        Assert.Equal([2L, featureDim], model.ForwardFeatures(input).shape);
        Assert.Equal([2L, 4], model.forward(input).shape);
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => BackboneFactory.Create("resnet101"));
        Assert.Contains("\"resnet101\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("resnet18, resnet34, resnet50, mobilenet_v2, efficientnet_b0", error.Message, StringComparison.Ordinal);
        Assert.False(BackboneFactory.Contains("resnet101"));
        Assert.True(BackboneFactory.Contains("mobilenet_v2"));
    }

    [Fact]
    public void Options_torchvision_does_not_have_or_out_of_range_are_refused()
    {
        Assert.Contains("Dropout", Assert.Throws<ArgumentException>(() => BackboneFactory.Create("resnet18", new BackboneOptions { Dropout = 0.3 })).Message, StringComparison.Ordinal);
        Assert.Contains("StochasticDepthProb", Assert.Throws<ArgumentException>(() => BackboneFactory.Create("mobilenet_v2", new BackboneOptions { StochasticDepthProb = 0.1 })).Message, StringComparison.Ordinal);
        Assert.Contains("NumClasses is -1", Assert.Throws<ArgumentException>(() => BackboneFactory.Create("resnet50", new BackboneOptions { NumClasses = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("InChannels is 0", Assert.Throws<ArgumentException>(() => BackboneFactory.Create("efficientnet_b0", new BackboneOptions { InChannels = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BackboneFactory.Create("efficientnet_b0", new BackboneOptions { Dropout = 1 }));
    }

    [Fact]
    public void Dropout_and_stochastic_depth_options_reach_their_modules()
    {
        using var model = BackboneFactory.Create("efficientnet_b0", new BackboneOptions { NumClasses = 3, Dropout = 0.3, StochasticDepthProb = 0.4 });
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.Equal(0.3, Assert.IsType<TorchSharp.Modules.Dropout>(modules["classifier.0"]).p);
        var blocks = model.modules().OfType<MBConv>().ToList();
        Assert.Equal(16, blocks.Count);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => 0.4 * i / 16), blocks.Select(b => b.StochasticDepthProb));
        using var mobile = BackboneFactory.Create("mobilenet_v2", new BackboneOptions { NumClasses = 3 });
        Assert.Equal(0.2, Assert.IsType<TorchSharp.Modules.Dropout>(mobile.named_modules().Single(m => m.name == "classifier.0").module).p);
    }

    [Fact]
    public void The_stem_adaptation_sums_rgb_filters_for_one_channel_and_cycles_and_rescales_them_for_more()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        var rgb = torch.randn(4, 3, 3, 3);
        var r = rgb.slice(1, 0, 1, 1);
        var g = rgb.slice(1, 1, 2, 1);
        var b = rgb.slice(1, 2, 3, 1);
        Assert.True((r + g + b).allclose(Backbone.AdaptStemWeight(rgb, 1), rtol: 0, atol: 1e-6));
        var five = torch.cat([r, g, b, r, g], 1) * (3.0 / 5);
        Assert.True(five.Same(Backbone.AdaptStemWeight(rgb, 5)));
        Assert.True(rgb.Same(Backbone.AdaptStemWeight(rgb, 3)));
        Assert.Throws<ArgumentException>(() => Backbone.AdaptStemWeight(torch.randn(4, 2, 3, 3), 1));
    }
}
