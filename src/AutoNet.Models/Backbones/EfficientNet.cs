using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision.models.EfficientNet B0: <c>features</c> = stem ConvBNSiLU (32, stride 2), seven stages of MBConv
/// blocks, 1×1 ConvBNSiLU to 1280; <c>avgpool</c>; <c>classifier</c> = Dropout(0.2), Linear. BatchNorm keeps
/// PyTorch's defaults (eps 1e-5, momentum 0.1) for B0 in torchvision 0.14; block i of 16 has stochastic depth
/// probability 0.2 × i / 16. torchvision's initialisation: convolutions kaiming_normal_ fan_out with zero bias,
/// BatchNorm 1 and 0, Linear U(±1 / sqrt(classes)) with zero bias. Stages: stem (features.0), stage1–stage7
/// (features.1–7), last_conv (features.8).
/// </summary>
public sealed class EfficientNet : Backbone
{
    // expand ratio, kernel, stride, input channels, output channels, blocks (width and depth multipliers 1.0)
    private static readonly (double Expand, long Kernel, long Stride, long In, long Out, int Blocks)[] B0 =
    [
        (1, 3, 1, 32, 16, 1),
        (6, 3, 2, 16, 24, 2),
        (6, 5, 2, 24, 40, 2),
        (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3),
        (6, 5, 2, 112, 192, 4),
        (6, 3, 1, 192, 320, 1),
    ];

    private readonly Sequential features;
    private readonly Sequential? classifier;

    private EfficientNet(string architecture, BackboneOptions options)
        : base(architecture, options, 4 * B0[^1].Out)
    {
        options.Validate(architecture);
        var stochasticDepthProb = options.StochasticDepthProb ?? 0.2;
        var stages = new List<BackboneStage> { new("stem", ["features.0"]) };
        var layers = new Sequential(ConvNormActivation.Create(options.InChannels, B0[0].In, stride: 2, activation: new SiLU()));
        var total = B0.Sum(s => s.Blocks);
        var blockId = 0;
        foreach (var setting in B0)
        {
            var stage = new Sequential();
            for (var i = 0; i < setting.Blocks; i++)
            {
                var probability = stochasticDepthProb * blockId / total;
                stage.Add(new MBConv(setting.Expand, setting.Kernel, i == 0 ? setting.Stride : 1, i == 0 ? setting.In : setting.Out, setting.Out, probability));
                blockId++;
            }

            stages.Add(new($"stage{layers.Count}", [$"features.{layers.Count}"]));
            layers.Add(stage);
        }

        stages.Add(new("last_conv", [$"features.{layers.Count}"]));
        layers.Add(ConvNormActivation.Create(B0[^1].Out, FeatureDim, kernelSize: 1, activation: new SiLU()));
        features = RegisterModule("features", layers);
        RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = options.NumClasses > 0
            ? RegisterModule("classifier", new Sequential(new Dropout(options.Dropout ?? 0.2), new Linear(FeatureDim, options.NumClasses)))
            : null;
        Stages = stages;

        InitialiseLikeTorchvision(Nonlinearity.LeakyRelu, linear =>
        {
            var range = 1.0 / Math.Sqrt(linear.OutFeatures);
            Init.Uniform_(linear.Weight, -range, range);
            Init.Zeros_(linear.Bias!);
        });
    }

    public static EfficientNet EfficientNetB0(BackboneOptions? options = null) => new("efficientnet_b0", options ?? new());

    public override string StemConvWeightKey => "features.0.0.weight";

    public override string ClassifierPrefix => "classifier";

    public override IReadOnlyList<BackboneStage> Stages { get; }

    protected override Module? Classifier => classifier;

    public override Tensor ForwardFeatureMap(Tensor input) => features.Forward(input);
}
