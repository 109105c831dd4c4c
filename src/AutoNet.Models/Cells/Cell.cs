using AutoNet.Models.Genotypes;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// A normal or reduction cell built from a <see cref="CellGenotype"/>, as DARTS' model.py Cell: both inputs are
/// preprocessed to C channels (<see cref="FactorizedReduce"/> for the older one when the previous cell reduced,
/// else ReLU-1×1 conv-BN), each block sums its two ops, and the output concatenates
/// <see cref="CellGenotype.OutputStates"/> (Multiplier × C channels). In a reduction cell the edges from the two
/// inputs have stride 2. In training, drop-path applies to every edge whose op is not an identity.
/// Keys follow DARTS: preprocess0, preprocess1, _ops.{2k}, _ops.{2k+1}.
/// </summary>
public sealed class Cell : Module
{
    private readonly Module preprocess0;
    private readonly Module preprocess1;
    private readonly ModuleList ops;
    private readonly int[] inputs;
    private readonly bool[] isIdentity;

    public Cell(CellGenotype genotype, long prevPrevChannels, long prevChannels, long channels, bool reduction, bool reductionPrev, bool affine = true)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        Genotype = genotype;
        IsReduction = reduction;
        Channels = channels;
        preprocess0 = RegisterModule<Module>("preprocess0", reductionPrev
            ? new FactorizedReduce(prevPrevChannels, channels, affine)
            : new ReLUConvBN(prevPrevChannels, channels, 1, 1, 0, affine));
        preprocess1 = RegisterModule("preprocess1", new ReLUConvBN(prevChannels, channels, 1, 1, 0, affine));
        ops = RegisterModule("_ops", new ModuleList());
        var edges = genotype.Blocks.SelectMany(b => new[] { b.First, b.Second }).ToArray();
        inputs = edges.Select(e => e.Input).ToArray();
        foreach (var edge in edges)
        {
            ops.Add(CellOps.Create(edge.Op, channels, Stride(reduction, edge.Input), affine));
        }

        isIdentity = ops.Select(op => op is Identity).ToArray();
    }

    public CellGenotype Genotype { get; }

    public bool IsReduction { get; }

    /// <summary>C: channels of each block output; the cell's output has Genotype.Multiplier × C.</summary>
    public long Channels { get; }

    public long OutputChannels => Genotype.Multiplier * Channels;

    private static long Stride(bool reduction, int input) => reduction && input < 2 ? 2 : 1;

    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("a cell takes the outputs of the two previous cells: call Forward(s0, s1, dropPathProbability)");

    public Tensor Forward(Tensor s0, Tensor s1, double dropPathProbability = 0.0)
    {
        var states = new List<Tensor>(Genotype.StateCount);
        try
        {
            states.Add(preprocess0.Forward(s0));
            states.Add(preprocess1.Forward(s1));
            var dropPath = IsTraining && dropPathProbability > 0;
            for (var k = 0; k < Genotype.Blocks.Count; k++)
            {
                using var h1 = Edge(2 * k, states, dropPath, dropPathProbability);
                using var h2 = Edge((2 * k) + 1, states, dropPath, dropPathProbability);
                states.Add(h1.Add(h2));
            }

            return Torch.Cat(Genotype.OutputStates.Select(s => states[s]).ToArray(), 1);
        }
        finally
        {
            // Autograd keeps what backward needs on the native side; these handles are ours to free.
            foreach (var state in states)
            {
                state.Dispose();
            }
        }
    }

    private Tensor Edge(int edge, List<Tensor> states, bool dropPath, double probability)
    {
        var h = ops[edge].Forward(states[inputs[edge]]);
        if (!dropPath || isIdentity[edge])
        {
            return h;
        }

        using (h)
        {
            return Functional.DropPath(h, probability, training: true);
        }
    }

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
