using AutoNet.Models.Backbones;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>
/// ONNX converters for the torchvision backbones (ResNet-18/34/50, MobileNetV2, EfficientNet-B0) and their blocks.
/// Their <see cref="FreezableBatchNorm2d"/>s use the BatchNorm converter (it derives from BatchNorm and, frozen or
/// not, computes the same thing in eval mode); EfficientNet's stochastic depth is an identity in eval mode.
/// </summary>
public static class BackboneOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .Register<Backbone>(EmitBackbone)
            .Register<BasicBlock>((c, m, x) => EmitResNetBlock(c, m, x, bottleneck: false))
            .Register<Bottleneck>((c, m, x) => EmitResNetBlock(c, m, x, bottleneck: true))
            .Register<InvertedResidual>(EmitInvertedResidual)
            .Register<MBConv>(EmitMBConv)
            .Register<SqueezeExcitation>(EmitSqueezeExcitation);
    }

    /// <summary>
    /// Globally average-pooled features [N, FeatureDim], as <see cref="Backbone.ForwardFeatures"/>. Every backbone's
    /// feature map is its children up to the pooling in registration order (ResNet: conv1, bn1, relu, maxpool,
    /// layer1–4; MobileNetV2 and EfficientNet: features); "avgpool" and the classifier come after it.
    /// </summary>
    internal static string EmitFeatures(OnnxConversionContext context, Backbone backbone, string input)
    {
        var g = context.Graph;
        var x = EmitFeatureMap(context, backbone, input);
        var flat = g.AddNode("Flatten", new[] { g.AddNode("GlobalAveragePool", new[] { x }) }, OnnxAttribute.Int("axis", 1));
        g.SetRank(flat, 2);
        return flat;
    }

    /// <summary>The last feature map [N, FeatureDim, H', W'], as <see cref="Backbone.ForwardFeatureMap"/>.</summary>
    internal static string EmitFeatureMap(OnnxConversionContext context, Backbone backbone, string input)
    {
        var x = input;
        foreach (var (name, child) in backbone.NamedChildren())
        {
            if (name == "avgpool" || name == backbone.ClassifierPrefix)
            {
                continue;
            }

            x = context.EmitChild(name, child, x);
        }

        return x;
    }

    private static string EmitBackbone(OnnxConversionContext context, Backbone backbone, string input)
    {
        var features = EmitFeatures(context, backbone, input);
        var classifier = ModuleChildren.Find(backbone, backbone.ClassifierPrefix);
        return classifier is null ? features : context.EmitChild(backbone.ClassifierPrefix, classifier, features);
    }

    private static string EmitResNetBlock(OnnxConversionContext context, Module block, string input, bool bottleneck)
    {
        var g = context.Graph;
        var x = g.Relu(context.EmitChild("bn1", ModuleChildren.Get(block, "bn1"), context.EmitChild("conv1", ModuleChildren.Get(block, "conv1"), input)));
        x = context.EmitChild("bn2", ModuleChildren.Get(block, "bn2"), context.EmitChild("conv2", ModuleChildren.Get(block, "conv2"), x));
        if (bottleneck)
        {
            x = context.EmitChild("bn3", ModuleChildren.Get(block, "bn3"), context.EmitChild("conv3", ModuleChildren.Get(block, "conv3"), g.Relu(x)));
        }

        var downsample = ModuleChildren.Find(block, "downsample");
        var identity = downsample is null ? input : context.EmitChild("downsample", downsample, input);
        return g.Relu(g.Add(x, identity));
    }

    private static string EmitInvertedResidual(OnnxConversionContext context, InvertedResidual block, string input)
    {
        var output = context.EmitChild("conv", ModuleChildren.Get(block, "conv"), input);
        return block.UsesResidual ? context.Graph.Add(output, input) : output;
    }

    private static string EmitMBConv(OnnxConversionContext context, MBConv block, string input)
    {
        var output = context.EmitChild("block", ModuleChildren.Get(block, "block"), input);
        return block.UsesResidual ? context.Graph.Add(output, input) : output;
    }

    private static string EmitSqueezeExcitation(OnnxConversionContext context, SqueezeExcitation se, string input)
    {
        var scale = context.EmitChild("avgpool", ModuleChildren.Get(se, "avgpool"), input);
        scale = context.EmitChild("fc1", ModuleChildren.Get(se, "fc1"), scale);
        scale = context.EmitChild("activation", ModuleChildren.Get(se, "activation"), scale);
        scale = context.EmitChild("fc2", ModuleChildren.Get(se, "fc2"), scale);
        scale = context.EmitChild("scale_activation", ModuleChildren.Get(se, "scale_activation"), scale);
        return context.Graph.Mul(scale, input);
    }
}
