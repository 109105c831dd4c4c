using TorchSharp.Modules;
using static TorchSharp.torch;

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
        var layers = new List<nn.Module<Tensor, Tensor>> { ConvNormActivation.Create(options.InChannels, B0[0].In, stride: 2, activation: nn.SiLU()) };
        var total = B0.Sum(s => s.Blocks);
        var blockId = 0;
        foreach (var setting in B0)
        {
            var stage = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < setting.Blocks; i++)
            {
                var probability = stochasticDepthProb * blockId / total;
                stage.Add(new MBConv(setting.Expand, setting.Kernel, i == 0 ? setting.Stride : 1, i == 0 ? setting.In : setting.Out, setting.Out, probability));
                blockId++;
            }

            stages.Add(new($"stage{layers.Count}", [$"features.{layers.Count}"]));
            layers.Add(nn.Sequential(stage));
        }

        stages.Add(new("last_conv", [$"features.{layers.Count}"]));
        layers.Add(ConvNormActivation.Create(B0[^1].Out, FeatureDim, kernelSize: 1, activation: nn.SiLU()));
        features = Register("features", nn.Sequential(layers));
        Register("avgpool", nn.AdaptiveAvgPool2d(1));
        classifier = options.NumClasses > 0
            ? Register("classifier", nn.Sequential(nn.Dropout(options.Dropout ?? 0.2), nn.Linear(FeatureDim, options.NumClasses)))
            : null;
        Stages = stages;

        InitialiseLikeTorchvision(nn.init.NonlinearityType.LeakyReLU, linear =>
        {
            var range = 1.0 / Math.Sqrt(linear.out_features);
            nn.init.uniform_(linear.weight, -range, range);
            nn.init.zeros_(linear.bias!);
        });
    }

    public static EfficientNet EfficientNetB0(BackboneOptions? options = null) => new("efficientnet_b0", options ?? new());

    public override string StemConvWeightKey => "features.0.0.weight";

    public override string ClassifierPrefix => "classifier";

    public override IReadOnlyList<BackboneStage> Stages { get; }

    protected override nn.Module<Tensor, Tensor>? Classifier => classifier;

    protected override Tensor FeatureMap(Tensor input) => features.forward(input);
}
