using AutoNet.Torch.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision.models.ResNet (v1.5, groups 1, width 64, no dilation): conv1, bn1, relu, maxpool, layer1–layer4,
/// avgpool, fc, with torchvision's initialisation (convolutions kaiming_normal_ fan_out/relu, BatchNorm 1 and 0,
/// fc PyTorch's Linear default). Stages: stem (conv1, bn1), layer1, layer2, layer3, layer4.
/// </summary>
public sealed class ResNet : Backbone
{
    private static readonly IReadOnlyList<BackboneStage> ResNetStages =
    [
        new("stem", ["conv1", "bn1"]),
        new("layer1", ["layer1"]),
        new("layer2", ["layer2"]),
        new("layer3", ["layer3"]),
        new("layer4", ["layer4"]),
    ];

    private readonly Conv2d conv1;
    private readonly FreezableBatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential[] layers;
    private readonly Linear? fc;
    private long inplanes = 64;

    private ResNet(string architecture, bool bottleneck, int[] blocks, BackboneOptions options)
        : base(architecture, options, 512 * (bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion))
    {
        options.Validate(architecture);
        CheckNoDropout(architecture, options);
        conv1 = Register("conv1", nn.Conv2d(options.InChannels, 64, 7, stride: 2, padding: 3, bias: false));
        bn1 = Register("bn1", new FreezableBatchNorm2d(64));
        relu = Register("relu", nn.ReLU());
        maxpool = Register("maxpool", nn.MaxPool2d(3, 2, 1));
        layers =
        [
            Register("layer1", MakeLayer(bottleneck, 64, blocks[0], 1)),
            Register("layer2", MakeLayer(bottleneck, 128, blocks[1], 2)),
            Register("layer3", MakeLayer(bottleneck, 256, blocks[2], 2)),
            Register("layer4", MakeLayer(bottleneck, 512, blocks[3], 2)),
        ];
        Register("avgpool", nn.AdaptiveAvgPool2d(1));
        fc = options.NumClasses > 0 ? Register("fc", nn.Linear(FeatureDim, options.NumClasses)) : null;

        InitialiseLikeTorchvision(nn.init.NonlinearityType.ReLU, initialiseLinear: null);
    }

    public static ResNet ResNet18(BackboneOptions? options = null) => new("resnet18", false, [2, 2, 2, 2], options ?? new());

    public static ResNet ResNet34(BackboneOptions? options = null) => new("resnet34", false, [3, 4, 6, 3], options ?? new());

    public static ResNet ResNet50(BackboneOptions? options = null) => new("resnet50", true, [3, 4, 6, 3], options ?? new());

    public override string StemConvWeightKey => "conv1.weight";

    public override string ClassifierPrefix => "fc";

    public override IReadOnlyList<BackboneStage> Stages => ResNetStages;

    protected override nn.Module<Tensor, Tensor>? Classifier => fc;

    protected override Tensor FeatureMap(Tensor input)
    {
        var x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(input))));
        foreach (var layer in layers)
        {
            x = layer.forward(x);
        }

        return x;
    }

    private Sequential MakeLayer(bool bottleneck, long planes, int blocks, long stride)
    {
        var expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var downsample = stride != 1 || inplanes != planes * expansion
            ? nn.Sequential(nn.Conv2d(inplanes, planes * expansion, 1, stride: stride, bias: false), new FreezableBatchNorm2d(planes * expansion))
            : null;
        var layer = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < blocks; i++)
        {
            layer.Add(bottleneck
                ? new Bottleneck(inplanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null)
                : new BasicBlock(inplanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null));
            inplanes = planes * expansion;
        }

        return nn.Sequential(layer);
    }
}
