using AutoNet.Torch;
using AutoNet.Torch.NN;

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
        conv1 = RegisterModule("conv1", new Conv2d(options.InChannels, 64, 7, 2, padding: 3, bias: false));
        bn1 = RegisterModule("bn1", new FreezableBatchNorm2d(64));
        relu = RegisterModule("relu", new ReLU(inplace: true));
        maxpool = RegisterModule("maxpool", new MaxPool2d(3, 2, padding: 1));
        layers =
        [
            RegisterModule("layer1", MakeLayer(bottleneck, 64, blocks[0], 1)),
            RegisterModule("layer2", MakeLayer(bottleneck, 128, blocks[1], 2)),
            RegisterModule("layer3", MakeLayer(bottleneck, 256, blocks[2], 2)),
            RegisterModule("layer4", MakeLayer(bottleneck, 512, blocks[3], 2)),
        ];
        RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        fc = options.NumClasses > 0 ? RegisterModule("fc", new Linear(FeatureDim, options.NumClasses)) : null;

        InitialiseLikeTorchvision(Nonlinearity.Relu, initialiseLinear: null);
    }

    public static ResNet ResNet18(BackboneOptions? options = null) => new("resnet18", false, [2, 2, 2, 2], options ?? new());

    public static ResNet ResNet34(BackboneOptions? options = null) => new("resnet34", false, [3, 4, 6, 3], options ?? new());

    public static ResNet ResNet50(BackboneOptions? options = null) => new("resnet50", true, [3, 4, 6, 3], options ?? new());

    public override string StemConvWeightKey => "conv1.weight";

    public override string ClassifierPrefix => "fc";

    public override IReadOnlyList<BackboneStage> Stages => ResNetStages;

    protected override Module? Classifier => fc;

    public override Tensor ForwardFeatureMap(Tensor input)
    {
        var x = conv1.Forward(input);
        x = Chain.Next(x, bn1);
        x = Chain.Next(x, relu);
        x = Chain.Next(x, maxpool);
        foreach (var layer in layers)
        {
            x = Chain.Next(x, layer);
        }

        return x;
    }

    private Sequential MakeLayer(bool bottleneck, long planes, int blocks, long stride)
    {
        var expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var downsample = stride != 1 || inplanes != planes * expansion
            ? new Sequential(new Conv2d(inplanes, planes * expansion, 1, stride, bias: false), new FreezableBatchNorm2d(planes * expansion))
            : null;
        var layer = new Sequential();
        for (var i = 0; i < blocks; i++)
        {
            layer.Add(bottleneck
                ? new Bottleneck(inplanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null)
                : new BasicBlock(inplanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null));
            inplanes = planes * expansion;
        }

        return layer;
    }
}
