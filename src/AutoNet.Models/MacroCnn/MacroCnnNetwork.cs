using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Models.MacroCnn;

/// <summary>A plain or residual convolution stack built from a <see cref="MacroCnnConfig"/> through <see cref="Describe"/>.</summary>
public sealed class MacroCnnNetwork : ArchitectureModule
{
    private readonly ArchNode features;

    public MacroCnnNetwork(MacroCnnConfig config)
        : base(Describe(config))
    {
        Config = config;
        var root = (SequentialNode)Description;
        features = root.Steps[0];
        FeatureCount = ((LinearOp)root.Steps[^1]).In;
    }

    public MacroCnnConfig Config { get; }

    /// <summary>Width of the pooled features the classifier reads (see <see cref="ForwardFeatures"/>).</summary>
    public long FeatureCount { get; }

    /// <summary>The globally pooled features [N, <see cref="FeatureCount"/>] before dropout and the classifier.</summary>
    public Tensor ForwardFeatures(Tensor input) => Evaluate(features, [input]);

    /// <summary>
    /// The network's description: a sequential of the features part (unnamed: stages.{i}, global_pooling, flatten),
    /// "dropout" and "classifier". A pooling downsample, when used, is stages.{i}.0.
    /// </summary>
    public static ArchNode Describe(MacroCnnConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var steps = new List<ArchNode>();
        long channels = config.InputChannels;
        for (var i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            var units = new List<ArchNode>();
            if (i > 0 && config.Downsampling != MacroCnnDownsampling.StridedConv)
            {
                units.Add(new PoolOp("0", config.Downsampling == MacroCnnDownsampling.MaxPool ? PoolKind.Max : PoolKind.Avg, 2, 2, 0));
            }

            for (var j = 0; j < stage.Depth; j++)
            {
                var stride = i > 0 && j == 0 && config.Downsampling == MacroCnnDownsampling.StridedConv ? 2 : 1;
                var name = units.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                units.Add(stage.Residual
                    ? ResidualUnit.Describe(name, channels, stage.Width, stage.KernelSize, stride)
                    : PlainUnit.Describe(name, channels, stage.Width, stage.KernelSize, stride));
                channels = stage.Width;
            }

            steps.Add(new SequentialNode($"stages.{i}", units));
        }

        steps.Add(new GlobalPoolOp("global_pooling", config.GlobalPooling.ToPoolKind()));
        steps.Add(new FlattenOp(null));
        return new SequentialNode(null, [new SequentialNode(null, steps), new DropoutOp("dropout", config.Dropout), new LinearOp("classifier", channels, config.NumClasses)]);
    }

    /// <summary>
    /// Parameters and multiply-adds of the network <paramref name="config"/> builds, for
    /// <paramref name="height"/> × <paramref name="width"/> inputs, without building it (see <see cref="ModelComplexity"/>).
    /// Throws <see cref="ArgumentException"/> when the input is too small for the number of stages.
    /// </summary>
    public static ModelComplexity Complexity(MacroCnnConfig config, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var counter = new ComplexityCounter();
        (long H, long W) size = (height, width);
        long channels = config.InputChannels;
        for (var i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            if (i > 0 && config.Downsampling != MacroCnnDownsampling.StridedConv)
            {
                size = (size.H / 2, size.W / 2);
            }

            if (size.H < 1 || size.W < 1)
            {
                throw new ArgumentException($"input resolution {height}x{width} is too small for {config.Stages.Count} stages: stage {i} would see {size.H}x{size.W}");
            }

            for (var j = 0; j < stage.Depth; j++)
            {
                var stride = i > 0 && j == 0 && config.Downsampling == MacroCnnDownsampling.StridedConv ? 2 : 1;
                var k = stage.KernelSize;
                var output = counter.Conv2d(channels, stage.Width, size, k, stride, k / 2);
                counter.BatchNorm2d(stage.Width);
                if (stage.Residual)
                {
                    counter.Conv2d(stage.Width, stage.Width, output, k, 1, k / 2);
                    counter.BatchNorm2d(stage.Width);
                    if (stride != 1 || channels != stage.Width)
                    {
                        counter.Conv2d(channels, stage.Width, size, 1, stride);
                        counter.BatchNorm2d(stage.Width);
                    }
                }

                size = output;
                channels = stage.Width;
            }
        }

        counter.Linear(channels, config.NumClasses);
        return counter.Result;
    }
}
