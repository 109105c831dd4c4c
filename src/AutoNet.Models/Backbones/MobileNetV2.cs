using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision.models.MobileNetV2 (width 1.0): <c>features</c> = stem ConvBNReLU6 (stride 2), 17 InvertedResiduals
/// from the (t, c, n, s) table, 1×1 ConvBNReLU6 to 1280; global average pooling; <c>classifier</c> = Dropout(0.2),
/// Linear. torchvision's initialisation: convolutions kaiming_normal_ fan_out, BatchNorm 1 and 0, Linear N(0, 0.01)
/// and zero bias. Stages: stem (features.0), one per table row (stage1–stage7), last_conv (features.18).
/// </summary>
public sealed class MobileNetV2 : Backbone
{
    // t (expansion), c (channels), n (blocks), s (stride of the first block)
    private static readonly long[][] Settings =
    [
        [1, 16, 1, 1],
        [6, 24, 2, 2],
        [6, 32, 3, 2],
        [6, 64, 4, 2],
        [6, 96, 3, 1],
        [6, 160, 3, 2],
        [6, 320, 1, 1],
    ];

    private readonly Sequential features;
    private readonly Sequential? classifier;

    private MobileNetV2(BackboneOptions options)
        : base("mobilenet_v2", options, 1280)
    {
        options.Validate(Architecture);
        if (options.StochasticDepthProb is { } s && s != 0)
        {
            throw new ArgumentException($"mobilenet_v2 has no stochastic depth in torchvision; leave StochasticDepthProb unset (got {s})", nameof(options));
        }

        var stages = new List<BackboneStage> { new("stem", ["features.0"]) };
        var inputChannel = Channels.MakeDivisible(32);
        var blocks = new List<nn.Module<Tensor, Tensor>> { ConvNormActivation.Create(options.InChannels, inputChannel, stride: 2, activation: nn.ReLU6()) };
        for (var row = 0; row < Settings.Length; row++)
        {
            var (t, c, n, stride) = (Settings[row][0], Settings[row][1], Settings[row][2], Settings[row][3]);
            var outputChannel = Channels.MakeDivisible(c);
            var prefixes = new List<string>();
            for (var i = 0; i < n; i++)
            {
                prefixes.Add($"features.{blocks.Count}");
                blocks.Add(new InvertedResidual(inputChannel, outputChannel, i == 0 ? stride : 1, t));
                inputChannel = outputChannel;
            }

            stages.Add(new($"stage{row + 1}", prefixes));
        }

        stages.Add(new("last_conv", [$"features.{blocks.Count}"]));
        blocks.Add(ConvNormActivation.Create(inputChannel, FeatureDim, kernelSize: 1, activation: nn.ReLU6()));
        features = Register("features", nn.Sequential(blocks));
        classifier = options.NumClasses > 0
            ? Register("classifier", nn.Sequential(nn.Dropout(options.Dropout ?? 0.2), nn.Linear(FeatureDim, options.NumClasses)))
            : null;
        Stages = stages;

        InitialiseLikeTorchvision(nn.init.NonlinearityType.LeakyReLU, linear =>
        {
            nn.init.normal_(linear.weight, 0, 0.01);
            nn.init.zeros_(linear.bias!);
        });
    }

    public static MobileNetV2 Create(BackboneOptions? options = null) => new(options ?? new());

    public override string StemConvWeightKey => "features.0.0.weight";

    public override string ClassifierPrefix => "classifier";

    public override IReadOnlyList<BackboneStage> Stages { get; }

    protected override nn.Module<Tensor, Tensor>? Classifier => classifier;

    protected override Tensor FeatureMap(Tensor input) => features.forward(input);
}
