using AutoNet.Models.Genotypes;
using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>
/// A normal or reduction cell built from a <see cref="CellGenotype"/>, as DARTS' model.py Cell: both inputs are
/// preprocessed to C channels (<see cref="FactorizedReduce"/> for the older one when the previous cell reduced,
/// else ReLU-1×1 conv-BN), each block sums its two ops, and the output concatenates
/// <see cref="CellGenotype.OutputStates"/> (Multiplier × C channels). In a reduction cell the edges from the two
/// inputs have stride 2. In training, drop-path (the network's scheduled probability) applies to every edge whose
/// op is not an identity. <see cref="Describe"/> gives the two-input graph; keys follow DARTS: preprocess0,
/// preprocess1, _ops.{2k}, _ops.{2k+1}.
/// </summary>
public sealed record Cell(CellGenotype Genotype, long PrevPrevChannels, long PrevChannels, long Channels, bool IsReduction, bool ReductionPrev, bool Affine = true)
{
    /// <summary>C: channels of each block output; the cell's output has Genotype.Multiplier × C.</summary>
    public long OutputChannels => Genotype.Multiplier * Channels;

    /// <summary>The cell as a graph of two inputs (s0, s1), named <paramref name="name"/>.</summary>
    public GraphNode Describe(string? name)
    {
        ArgumentNullException.ThrowIfNull(Genotype);
        var steps = new List<GraphStep>
        {
            new(ReductionPrev
                ? FactorizedReduce.Describe("preprocess0", PrevPrevChannels, Channels, Affine)
                : ReLUConvBN.Describe("preprocess0", PrevPrevChannels, Channels, 1, 1, 0, Affine), [0]),
            new(ReLUConvBN.Describe("preprocess1", PrevChannels, Channels, 1, 1, 0, Affine), [1]),
        };

        // Genotype state s lives at graph state stateIndex[s]: 0 and 1 are the preprocessed inputs (graph states 2 and 3).
        var stateIndex = new List<int> { 2, 3 };
        var edge = 0;
        foreach (var block in Genotype.Blocks)
        {
            var sum = new List<int>(2);
            foreach (var input in new[] { block.First, block.Second })
            {
                var op = CellOps.Describe($"_ops.{edge++}", input.Op, Channels, Stride(IsReduction, input.Input), Affine);
                var node = op is IdentityOp ? op : new SequentialNode(null, [op, new DropPathOp(null)]);
                steps.Add(new GraphStep(node, [stateIndex[input.Input]]));
                sum.Add(steps.Count + 1);
            }

            steps.Add(new GraphStep(new MergeOp(null, MergeKind.Add), sum));
            stateIndex.Add(steps.Count + 1);
        }

        return new GraphNode(name, 2, steps, Genotype.OutputStates.Select(s => stateIndex[s]).ToArray());
    }

    private static long Stride(bool reduction, int input) => reduction && input < 2 ? 2 : 1;

    /// <summary>
    /// Counts this cell's parameters and multiply-adds into <paramref name="counter"/> for inputs of the given sizes
    /// (s0 is twice s1's size when the previous cell reduced); returns the output size.
    /// </summary>
    public static (long H, long W) Count(CellGenotype genotype, long prevPrevChannels, long prevChannels, long channels, bool reduction, bool reductionPrev,
        (long H, long W) s0Size, (long H, long W) s1Size, ComplexityCounter counter, bool affine = true)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(counter);
        (long H, long W) p0;
        if (reductionPrev)
        {
            p0 = CellOps.CountFactorizedReduce(prevPrevChannels, channels, s0Size, counter, affine);
        }
        else
        {
            p0 = counter.Conv2d(prevPrevChannels, channels, s0Size, 1);
            counter.BatchNorm2d(channels, affine);
        }

        var p1 = counter.Conv2d(prevChannels, channels, s1Size, 1);
        counter.BatchNorm2d(channels, affine);
        if (p0 != p1)
        {
            throw new ArgumentException($"the cell's inputs do not line up: {p0.H}x{p0.W} and {p1.H}x{p1.W} after preprocessing");
        }

        if (reduction && (p1.H % 2 != 0 || p1.W % 2 != 0))
        {
            throw new ArgumentException($"a reduction cell needs an even height and width, got {p1.H}x{p1.W}; choose an input resolution divisible by 2^(stages-1)");
        }

        var sizes = new List<(long H, long W)> { p0, p1 };
        for (var k = 0; k < genotype.Blocks.Count; k++)
        {
            var block = genotype.Blocks[k];
            var a = CellOps.Count(block.First.Op, channels, Stride(reduction, block.First.Input), sizes[block.First.Input], counter, affine);
            var b = CellOps.Count(block.Second.Op, channels, Stride(reduction, block.Second.Input), sizes[block.Second.Input], counter, affine);
            if (a != b)
            {
                throw new ArgumentException($"block {k}: its inputs come out at different sizes ({a.H}x{a.W} and {b.H}x{b.W})");
            }

            sizes.Add(a);
        }

        return sizes[genotype.OutputStates[0]];
    }
}
