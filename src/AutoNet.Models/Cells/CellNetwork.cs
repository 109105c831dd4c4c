using AutoNet.Models.Genotypes;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>
/// A classification network from a <see cref="Genotype"/> and <see cref="CellNetworkSettings"/>, as DARTS'
/// NetworkCIFAR (without the auxiliary head): stem (3×3 conv, BN), the cells (each reading the outputs of the two
/// before it), global average pooling, dropout, linear classifier. Keys: stem.0/1, cells.{i}.…, classifier.
/// </summary>
public sealed class CellNetwork : Module
{
    private readonly Sequential stem;
    private readonly ModuleList cells;
    private readonly AdaptiveAvgPool2d globalPooling;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public CellNetwork(Genotype genotype, CellNetworkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Genotype = genotype;
        Settings = settings;
        DropPathProbability = settings.DropPath;

        var stemChannels = (long)settings.StemMultiplier * settings.InitialChannels;
        stem = RegisterModule("stem", new Sequential(new Conv2d(settings.InputChannels, stemChannels, 3, padding: 1, bias: false), new BatchNorm2d(stemChannels)));
        cells = RegisterModule("cells", new ModuleList());
        long prevPrev = stemChannels, prev = stemChannels, channels = settings.InitialChannels;
        var reductionPrev = false;
        for (var i = 0; i < settings.CellCount; i++)
        {
            var reduction = settings.IsReduction(i);
            if (reduction)
            {
                channels *= 2;
            }

            var cell = new Cell(reduction ? genotype.Reduction : genotype.Normal, prevPrev, prev, channels, reduction, reductionPrev);
            cells.Add(cell);
            reductionPrev = reduction;
            (prevPrev, prev) = (prev, cell.OutputChannels);
        }

        globalPooling = RegisterModule("global_pooling", new AdaptiveAvgPool2d(1));
        dropout = RegisterModule("dropout", new Dropout(settings.Dropout));
        classifier = RegisterModule("classifier", new Linear(prev, settings.NumClasses));
    }

    public Genotype Genotype { get; }

    public CellNetworkSettings Settings { get; }

    /// <summary>
    /// Drop-path probability used in training on non-identity edges. DARTS schedules it linearly over training:
    /// set <c>settings.DropPath × epoch / epochs</c> at the start of each epoch.
    /// </summary>
    public double DropPathProbability
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, 1.0);
            field = value;
        }
    }

    public IReadOnlyList<Cell> Cells => cells.Cast<Cell>().ToArray();

    /// <summary>Width of the pooled features the classifier reads (see <see cref="ForwardFeatures"/>).</summary>
    public long FeatureCount => classifier.InFeatures;

    public override Tensor Forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        using var dropped = dropout.Forward(features);
        return classifier.Forward(dropped);
    }

    /// <summary>
    /// The globally pooled features [N, <see cref="FeatureCount"/>] before dropout and the classifier: what a new
    /// head reads when this network serves as a backbone for another data set.
    /// </summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        var s1 = stem.Forward(input);
        var s0 = s1.Alias();
        try
        {
            foreach (var cell in cells.Cast<Cell>())
            {
                var next = cell.Forward(s0, s1, DropPathProbability);
                s0.Dispose();
                (s0, s1) = (s1, next);
            }

            using var pooled = globalPooling.Forward(s1);
            return pooled.Flatten(1);
        }
        finally
        {
            s0.Dispose();
            s1.Dispose();
        }
    }

    /// <summary>
    /// Parameters and multiply-adds of the network these arguments build, for <paramref name="height"/> ×
    /// <paramref name="width"/> inputs, computed without building it (see <see cref="ModelComplexity"/>). Throws
    /// <see cref="ArgumentException"/> when a reduction cell would see an odd size.
    /// </summary>
    public static ModelComplexity Complexity(Genotype genotype, CellNetworkSettings settings, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var counter = new ComplexityCounter();
        var stemChannels = (long)settings.StemMultiplier * settings.InitialChannels;
        var size = counter.Conv2d(settings.InputChannels, stemChannels, (height, width), 3, 1, 1);
        counter.BatchNorm2d(stemChannels);
        long prevPrev = stemChannels, prev = stemChannels, channels = settings.InitialChannels;
        var (prevPrevSize, prevSize) = (size, size);
        var reductionPrev = false;
        for (var i = 0; i < settings.CellCount; i++)
        {
            var reduction = settings.IsReduction(i);
            if (reduction)
            {
                channels *= 2;
            }

            var cell = reduction ? genotype.Reduction : genotype.Normal;
            (long H, long W) output;
            try
            {
                output = Cell.Count(cell, prevPrev, prev, channels, reduction, reductionPrev, prevPrevSize, prevSize, counter);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"cell {i} ({(reduction ? "reduction" : "normal")}) at input resolution {height}x{width}: {e.Message}", e);
            }

            reductionPrev = reduction;
            (prevPrev, prev) = (prev, cell.Multiplier * channels);
            (prevPrevSize, prevSize) = (prevSize, output);
        }

        counter.Linear(prev, settings.NumClasses);
        return counter.Result;
    }
}
