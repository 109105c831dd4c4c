using AutoNet.Models.Architecture;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Export.Descriptions;

/// <summary>
/// The architecture description (<see cref="ArchNode"/>) of a built network, which the exporters walk: an
/// <see cref="ArchitectureModule"/> (cell networks, macro-cnns, transfer heads) is its own description; a
/// <see cref="TransferNetwork"/> is its feature extractor's features under "backbone" then its head under "head"; the
/// hand-written torchvision <see cref="Backbone"/>s and any TorchSharp module tree of standard layers are described
/// layer by layer, with their blocks (residual, inverted residual, MBConv, squeeze-excitation) as combinators.
/// Names are state-dict keys, so the exporters find every weight in the module's state dict. Only the eval-mode
/// forward is described: what dropout and drop-path do in training is left to the modules.
/// </summary>
public static class ModelDescriber
{
    private static readonly string[] SqueezeExcitationChildren = ["avgpool", "fc1", "activation", "fc2", "scale_activation"];

    /// <summary>The description of <paramref name="model"/>'s eval-mode forward (its root unnamed: keys relative to the model).</summary>
    public static ArchNode Describe(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model switch
        {
            ArchitectureModule architecture => architecture.Description,
            TransferNetwork transfer => new SequentialNode(null, [
                new SequentialNode("backbone", [DescribeFeatures(transfer.Features.Module, featureMap: transfer.HeadSettings.Kind == TransferHeadKind.Cell)]),
                Renamed(transfer.HeadDescription, "head"),
            ]),
            Backbone backbone => DescribeBackbone(backbone),
            _ => new SequentialNode(null, [Describe(model, string.Empty)]),
        };
    }

    /// <summary>
    /// The description of a feature extractor's output, keys relative to it: the pooled features [N, F] of one of
    /// AutoNet's networks (what <see cref="FeatureExtractor.ForwardFeatures"/> computes), or with
    /// <paramref name="featureMap"/> the last feature map before pooling (<see cref="FeatureExtractor.ForwardFeatureMap"/>).
    /// </summary>
    public static ArchNode DescribeFeatures(nn.Module network, bool featureMap = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        switch (network)
        {
            case Backbone backbone:
                var map = new SequentialNode(null, BackboneFeatureMap(backbone));
                return featureMap ? map : new SequentialNode(null, [map, new GlobalPoolOp(null, PoolKind.Avg), new FlattenOp(null)]);
            case TransferNetwork transfer:
                return new SequentialNode("backbone", [DescribeFeatures(transfer.Features.Module, featureMap)]);
            case CellNetwork or MacroCnnNetwork when !featureMap:
                // Both describe themselves as a sequential of [pooled features, dropout, classifier] (their Describe says so).
                return ((SequentialNode)((ArchitectureModule)network).Description).Steps[0];
            case CellNetwork or MacroCnnNetwork:
                throw new NotSupportedException($"a {network.GetType().Name} does not expose its last feature map; a cell head needs a torchvision backbone");
            default:
                throw new NotSupportedException(
                    $"the features of a {network.GetType().Name} cannot be described: expected a Backbone, CellNetwork, MacroCnnNetwork or TransferNetwork");
        }
    }

    /// <summary>A torchvision backbone: its feature map (children before "avgpool" and the classifier), average pooling, flatten, classifier.</summary>
    private static SequentialNode DescribeBackbone(Backbone backbone)
    {
        var steps = new List<ArchNode>(BackboneFeatureMap(backbone)) { new GlobalPoolOp(null, PoolKind.Avg), new FlattenOp(null) };
        var classifier = backbone.named_children().FirstOrDefault(c => c.name == backbone.ClassifierPrefix).module;
        if (classifier is not null)
        {
            steps.Add(Describe(classifier, backbone.ClassifierPrefix));
        }

        return new SequentialNode(null, steps);
    }

    private static ArchNode[] BackboneFeatureMap(Backbone backbone) => backbone.named_children()
        .Where(c => c.name != "avgpool" && c.name != backbone.ClassifierPrefix)
        .Select(c => Describe(c.module, c.name))
        .ToArray();

    /// <summary>A module registered as <paramref name="name"/> ("" for the root), and everything under it.</summary>
    private static ArchNode Describe(nn.Module module, string name)
    {
        var path = name.Length == 0 ? "the model itself" : $"module '{name}'";
        var n = name.Length == 0 ? null : name.Split('.')[^1];
        return module switch
        {
            ArchitectureModule architecture => Renamed(architecture.Description, n),
            Conv2d conv => DescribeConv(conv, n, path),
            BatchNorm norm => norm.running_mean is null || norm.running_var is null
                ? throw new NotSupportedException(
                    $"ONNX export: {path} ({norm.GetType().Name}) tracks no running statistics, so in eval mode it normalises with each batch's own " +
                    "statistics, which ONNX's BatchNormalization (inference) cannot express")
                : new BatchNorm2dOp(n, norm.num_features, norm.weight is not null, norm.eps, norm.momentum ?? 0.1),
            Linear linear => new LinearOp(n, linear.in_features, linear.out_features, linear.bias is not null),
            ReLU => new ActivationOp(n, Activation.Relu),
            ReLU6 => new ActivationOp(n, Activation.Relu6),
            SiLU => new ActivationOp(n, Activation.Silu),
            Sigmoid => new ActivationOp(n, Activation.Sigmoid),
            Identity => new IdentityOp(n),
            Dropout dropout => new DropoutOp(n, dropout.p),
            DropPath drop => new DropPathOp(n, drop.P),
            MaxPool2d pool => pool.ceil_mode || pool.dilation.Any(d => d != 1)
                ? throw Unsupported(path, "MaxPool2d with ceil_mode or dilation", "floor-mode, undilated max pooling")
                : new PoolOp(n, PoolKind.Max, Size(pool.kernel_size), Size(pool.stride ?? pool.kernel_size), Size(pool.padding ?? [0])),
            AvgPool2d pool => pool.ceil_mode || pool.divisor_override is not null
                ? throw Unsupported(path, "AvgPool2d with ceil_mode or a divisor override", "floor-mode average pooling")
                : new PoolOp(n, PoolKind.Avg, Size(pool.kernel_size), Size(pool.stride ?? pool.kernel_size), Size(pool.padding ?? [0]), pool.count_include_pad),
            AdaptiveAvgPool2d pool => pool.output_size.All(s => s == 1)
                ? new GlobalPoolOp(n, PoolKind.Avg)
                : throw Unsupported(path, $"AdaptiveAvgPool2d to [{string.Join(", ", pool.output_size)}]", "output size 1 (global pooling)"),
            AdaptiveMaxPool2d pool => pool.output_size.All(s => s == 1)
                ? new GlobalPoolOp(n, PoolKind.Max)
                : throw Unsupported(path, $"AdaptiveMaxPool2d to [{string.Join(", ", pool.output_size)}]", "output size 1 (global pooling)"),
            Flatten flatten => flatten.start_dim == 1 && flatten.end_dim == -1
                ? new FlattenOp(n)
                : throw Unsupported(path, $"Flatten({flatten.start_dim}, {flatten.end_dim})", "Flatten(1, -1)"),
            Sequential sequential => new SequentialNode(n, sequential.named_children().Select(c => Describe(c.module, Join(name, c.name))).ToArray()),
            BasicBlock or Bottleneck => DescribeResNetBlock(module, n, name),
            InvertedResidual block => Residual(n, [Describe(Child(block, "conv"), Join(name, "conv"))], block.UsesResidual),
            MBConv block => Residual(n, [Describe(Child(block, "block"), Join(name, "block"))], block.UsesResidual),
            SqueezeExcitation se => new ParallelNode(n, MergeKind.Mul, [
                new SequentialNode(null, SqueezeExcitationChildren.Select(c => Describe(Child(se, c), Join(name, c))).ToArray()),
                new IdentityOp(null),
            ]),
            _ => throw new NotSupportedException(
                $"ONNX export: {path} is a {module.GetType().FullName}, which has no description; build the network from an architecture " +
                "description (ArchitectureModule) or from standard layers"),
        };
    }

    /// <summary>torchvision's BasicBlock and Bottleneck: conv-bn pairs with ReLUs between, plus the input or its downsample, then ReLU.</summary>
    private static SequentialNode DescribeResNetBlock(nn.Module block, string? n, string name)
    {
        var children = block.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);
        var body = new List<ArchNode>();
        foreach (var pair in new[] { "1", "2", "3" }.Where(i => children.ContainsKey("conv" + i)))
        {
            if (body.Count > 0)
            {
                body.Add(new ActivationOp(null, Activation.Relu));
            }

            body.Add(Describe(children["conv" + pair], Join(name, "conv" + pair)));
            body.Add(Describe(children["bn" + pair], Join(name, "bn" + pair)));
        }

        var shortcut = children.TryGetValue("downsample", out var downsample) ? Describe(downsample, Join(name, "downsample")) : new IdentityOp(null);
        return new SequentialNode(n, [new ParallelNode(null, MergeKind.Add, [new SequentialNode(null, body), shortcut]), new ActivationOp(null, Activation.Relu)]);
    }

    private static ArchNode Residual(string? name, IReadOnlyList<ArchNode> body, bool residual) => residual
        ? new ParallelNode(name, MergeKind.Add, [new SequentialNode(null, body), new IdentityOp(null)])
        : new SequentialNode(name, body);

    private static Conv2dOp DescribeConv(Conv2d conv, string? name, string path)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.padding_type is not null || conv.dilation.Distinct().Count() > 1 || conv.transposed)
        {
            throw Unsupported(path, "a Conv2d with non-zero padding mode, 'same'/'valid' padding, uneven dilation or transposition", "a plain Conv2d");
        }

        return new Conv2dOp(name, conv.in_channels, conv.out_channels, Size(conv.kernel_size), Size(conv.stride), Size(conv.padding ?? [0]), conv.dilation[0], conv.groups,
            conv.bias is not null);
    }

    /// <summary><paramref name="node"/> under another name (a description's root, registered in a larger module).</summary>
    private static ArchNode Renamed(ArchNode node, string? name) => node with { Name = name };

    private static nn.Module Child(nn.Module parent, string name) =>
        parent.named_children().FirstOrDefault(c => c.name == name).module
        ?? throw new NotSupportedException($"a {parent.GetType().Name} has no child module '{name}'");

    private static Size2 Size(long[] values) => values.Length == 1 ? Size2.Square(values[0]) : new Size2(values[0], values[1]);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static NotSupportedException Unsupported(string path, string what, string expected) =>
        new($"ONNX export: {path} is {what}, which the architecture vocabulary does not describe; expected {expected}");
}
