using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.MacroCnn;

/// <summary>A plain or residual convolution stack built from a <see cref="MacroCnnConfig"/>.</summary>
public sealed class MacroCnnNetwork : Module
{
    private readonly ModuleList stages;
    private readonly Module globalPooling;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public MacroCnnNetwork(MacroCnnConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        stages = RegisterModule("stages", new ModuleList());
        long channels = config.InputChannels;
        for (var i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            var units = new Sequential();
            if (i > 0 && config.Downsampling == MacroCnnDownsampling.MaxPool)
            {
                units.Add(new MaxPool2d(2));
            }
            else if (i > 0 && config.Downsampling == MacroCnnDownsampling.AvgPool)
            {
                units.Add(new AvgPool2d(2));
            }

            for (var j = 0; j < stage.Depth; j++)
            {
                var stride = i > 0 && j == 0 && config.Downsampling == MacroCnnDownsampling.StridedConv ? 2 : 1;
                units.Add(stage.Residual
                    ? new ResidualUnit(channels, stage.Width, stage.KernelSize, stride)
                    : new PlainUnit(channels, stage.Width, stage.KernelSize, stride));
                channels = stage.Width;
            }

            stages.Add(units);
        }

        globalPooling = RegisterModule<Module>("global_pooling", config.GlobalPooling == GlobalPooling.Max ? new GlobalMaxPool() : new AdaptiveAvgPool2d(1));
        dropout = RegisterModule("dropout", new Dropout(config.Dropout));
        classifier = RegisterModule("classifier", new Linear(channels, config.NumClasses));
    }

    public MacroCnnConfig Config { get; }

    /// <summary>Width of the pooled features the classifier reads (see <see cref="ForwardFeatures"/>).</summary>
    public long FeatureCount => classifier.InFeatures;

    public override Tensor Forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        using var dropped = dropout.Forward(features);
        return classifier.Forward(dropped);
    }

    /// <summary>The globally pooled features [N, <see cref="FeatureCount"/>] before dropout and the classifier.</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        var x = input.Alias();
        try
        {
            foreach (var stage in stages)
            {
                var next = stage.Forward(x);
                x.Dispose();
                x = next;
            }

            using var pooled = globalPooling.Forward(x);
            return pooled.Flatten(1);
        }
        finally
        {
            x.Dispose();
        }
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
