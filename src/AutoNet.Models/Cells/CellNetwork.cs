using AutoNet.Models.Genotypes;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Models.Cells;

/// <summary>
/// A classification network from a <see cref="Genotype"/> and <see cref="CellNetworkSettings"/>, as DARTS'
/// NetworkCIFAR (without the auxiliary head): stem (3×3 conv, BN), the cells (each reading the outputs of the two
/// before it), global average pooling, dropout, linear classifier. Keys: stem.0/1, cells.{i}.…, classifier.
/// Built from <see cref="Describe(Genotype, CellNetworkSettings)"/>.
/// </summary>
public sealed class CellNetwork : ArchitectureModule
{
    private readonly ArchNode features;

    public CellNetwork(Genotype genotype, CellNetworkSettings settings)
        : this(DescribeParts(genotype, settings), genotype, settings)
    {
    }

    private CellNetwork((SequentialNode Root, ArchNode Features, IReadOnlyList<Cell> Cells) description, Genotype genotype, CellNetworkSettings settings)
        : base(description.Root)
    {
        Genotype = genotype;
        Settings = settings;
        Cells = description.Cells;
        features = description.Features;
        DropPathProbability = settings.DropPath;
        FeatureCount = ((LinearOp)description.Root.Steps[^1]).In;
    }

    public Genotype Genotype { get; }

    public CellNetworkSettings Settings { get; }

    /// <summary>
    /// Drop-path probability used in training on non-identity edges. DARTS schedules it linearly over training:
    /// set <c>settings.DropPath × epoch / epochs</c> at the start of each epoch.
    /// </summary>
    public double DropPathProbability
    {
        get => Schedule.Probability;
        set => Schedule.Probability = value;
    }

    /// <summary>The cells, input side first.</summary>
    public IReadOnlyList<Cell> Cells { get; }

    /// <summary>Width of the pooled features the classifier reads (see <see cref="ForwardFeatures"/>).</summary>
    public long FeatureCount { get; }

    /// <summary>
    /// The globally pooled features [N, <see cref="FeatureCount"/>] before dropout and the classifier: what a new
    /// head reads when this network serves as a backbone for another data set.
    /// </summary>
    public Tensor ForwardFeatures(Tensor input) => Evaluate(features, [input]);

    /// <summary>
    /// The network's description: its root is a sequential of the features part (unnamed: stem, cells, pooling,
    /// flatten), "dropout" and "classifier".
    /// </summary>
    public static ArchNode Describe(Genotype genotype, CellNetworkSettings settings) => DescribeParts(genotype, settings).Root;

    private static (SequentialNode Root, ArchNode Features, IReadOnlyList<Cell> Cells) DescribeParts(Genotype genotype, CellNetworkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var stemChannels = (long)settings.StemMultiplier * settings.InitialChannels;
        var steps = new List<GraphStep>
        {
            new(new SequentialNode("stem", [new Conv2dOp("0", settings.InputChannels, stemChannels, 3, 1, 1), new BatchNorm2dOp("1", stemChannels)]), [0]),
        };
        var cells = new List<Cell>();
        long prevPrev = stemChannels, prev = stemChannels, channels = settings.InitialChannels;
        var reductionPrev = false;
        var (s0, s1) = (1, 1);
        for (var i = 0; i < settings.CellCount; i++)
        {
            var reduction = settings.IsReduction(i);
            if (reduction)
            {
                channels *= 2;
            }

            var cell = new Cell(reduction ? genotype.Reduction : genotype.Normal, prevPrev, prev, channels, reduction, reductionPrev);
            cells.Add(cell);
            steps.Add(new GraphStep(cell.Describe($"cells.{i}"), [s0, s1]));
            (s0, s1) = (s1, steps.Count);
            reductionPrev = reduction;
            (prevPrev, prev) = (prev, cell.OutputChannels);
        }

        var features = new SequentialNode(null, [
            new GraphNode(null, 1, steps, [steps.Count]),
            new GlobalPoolOp("global_pooling", PoolKind.Avg),
            new FlattenOp(null),
        ]);
        var root = new SequentialNode(null, [features, new DropoutOp("dropout", settings.Dropout), new LinearOp("classifier", prev, settings.NumClasses)]);
        return (root, features, cells);
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
