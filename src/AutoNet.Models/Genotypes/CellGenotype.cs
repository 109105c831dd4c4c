using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutoNet.Models.Genotypes;

/// <summary>
/// One cell of a NASNet/DARTS-style architecture: a list of blocks, each summing two inputs, each input through an
/// op. States 0 and 1 are the cell's inputs (the outputs of the cell before the previous one and of the previous
/// cell); block k's output is state 2 + k. The cell's output concatenates, along channels, the states in
/// <see cref="OutputStates"/>: the explicit <see cref="Concat"/> when one is given (as DARTS' genotypes do), else
/// every block output that no later block reads (NASNet's rule; the last block is always among them).
/// Instances are immutable and always valid: the constructor throws <see cref="GenotypeException"/> otherwise.
/// </summary>
public sealed class CellGenotype : IEquatable<CellGenotype>
{
    private readonly CellBlock[] blocks;
    private readonly int[]? concat;
    private readonly int[] outputStates;

    public CellGenotype(IEnumerable<CellBlock> blocks, IEnumerable<int>? concat = null)
        : this(blocks, concat, string.Empty)
    {
    }

    /// <param name="path">Prefix of the path named in errors (a JSON path when the cell comes from JSON).</param>
    internal CellGenotype(IEnumerable<CellBlock> blocks, IEnumerable<int>? concat, string path)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        this.blocks = blocks.ToArray();
        this.concat = concat?.ToArray();
        Check(this.blocks, this.concat, path);
        outputStates = this.concat?.ToArray() ?? UnusedBlockStates(this.blocks);
    }

    // Read-only wrappers: the arrays behind them must never change, or the canonical hash would go stale.
    public IReadOnlyList<CellBlock> Blocks => Array.AsReadOnly(blocks);

    /// <summary>The explicit list of concatenated states, or null for "every block output no later block reads".</summary>
    public IReadOnlyList<int>? Concat => concat is null ? null : Array.AsReadOnly(concat);

    /// <summary>The states concatenated into the cell's output, in order (each ≥ 2).</summary>
    public IReadOnlyList<int> OutputStates => Array.AsReadOnly(outputStates);

    /// <summary>Number of states: the two inputs plus one per block.</summary>
    public int StateCount => blocks.Length + 2;

    /// <summary>The cell's output has <c>OutputStates.Count × C</c> channels for C channels per block.</summary>
    public int Multiplier => outputStates.Length;

    /// <summary>Whether some block reads <paramref name="state"/>.</summary>
    public bool IsStateUsed(int state) => blocks.Any(b => b.First.Input == state || b.Second.Input == state);

    private static int[] UnusedBlockStates(CellBlock[] blocks)
    {
        var used = new HashSet<int>();
        foreach (var block in blocks)
        {
            used.Add(block.First.Input);
            used.Add(block.Second.Input);
        }

        return Enumerable.Range(2, blocks.Length).Where(s => !used.Contains(s)).ToArray();
    }

    private static void Check(CellBlock[] blocks, int[]? concat, string path)
    {
        if (blocks.Length == 0)
        {
            throw new GenotypeException(Join(path, "blocks"), "a cell needs at least one block");
        }

        for (var k = 0; k < blocks.Length; k++)
        {
            if (blocks[k] is null)
            {
                throw new GenotypeException(Join(path, $"blocks[{k}]"), "a block is missing (null)");
            }

            CheckInput(blocks[k].First, k, 0, path);
            CheckInput(blocks[k].Second, k, 1, path);
        }

        if (concat is null)
        {
            return;
        }

        if (concat.Length == 0)
        {
            throw new GenotypeException(Join(path, "concat"), "concat is empty; omit it to concatenate the unused block outputs");
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < concat.Length; i++)
        {
            var state = concat[i];
            if (state < 2 || state >= blocks.Length + 2)
            {
                throw new GenotypeException(Join(path, $"concat[{i}]"),
                    $"state {state} is not a block output; with {blocks.Length} blocks, concat may name states 2..{blocks.Length + 1}");
            }

            if (!seen.Add(state))
            {
                throw new GenotypeException(Join(path, $"concat[{i}]"), $"state {state} is named twice");
            }
        }
    }

    private static void CheckInput(BlockInput input, int block, int which, string path)
    {
        var where = Join(path, $"blocks[{block}][{which}]");
        var ordinal = which == 0 ? "first" : "second";
        if (input.Op is null || !OpNames.IsKnown(input.Op))
        {
            throw new GenotypeException(where + ".op",
                $"block {block}, {ordinal} input: unknown op {(input.Op is null ? "(null)" : $"'{input.Op}'")}; known ops: {string.Join(", ", OpNames.All)}");
        }

        var highest = block + 1;
        if (input.Input < 0 || input.Input > highest)
        {
            throw new GenotypeException(where + ".input",
                $"block {block} (state {block + 2}), {ordinal} input: state {input.Input} is out of range; block {block} may read states 0..{highest} " +
                "(0 and 1: the two previous cells' outputs; 2 + k: block k, for earlier blocks only)");
        }
    }

    internal static string Join(string path, string child) =>
        path.Length == 0 ? child : child.StartsWith('[') ? path + child : path + "." + child;

    // ---- canonical form ------------------------------------------------------------------------

    /// <summary>
    /// The canonical form of this cell, the same for every genotype that describes the same computation graph:
    /// the two inputs of each block are put in a fixed order (their sum does not depend on it), blocks are put in a
    /// fixed topological order and renumbered (by depth, then by a hash of what they compute, then by a hash of how
    /// their output is used), and the output states are made explicit and sorted.
    /// </summary>
    public CellGenotype Canonicalize()
    {
        var signatures = new string[StateCount];
        var depths = new int[StateCount];
        signatures[0] = "s0";
        signatures[1] = "s1";
        for (var k = 0; k < blocks.Length; k++)
        {
            var a = blocks[k].First.Op + ":" + signatures[blocks[k].First.Input];
            var b = blocks[k].Second.Op + ":" + signatures[blocks[k].Second.Input];
            var pair = string.CompareOrdinal(a, b) <= 0 ? a + "+" + b : b + "+" + a;

            // Hashing keeps signatures short however deep the cell is.
            signatures[k + 2] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(pair)));
            depths[k + 2] = 1 + Math.Max(depths[blocks[k].First.Input], depths[blocks[k].Second.Input]);
        }

        // Two blocks can compute the same thing yet be used differently (one read by a later block, the other
        // concatenated): how each output is used, hashed from the last block back, tells them apart.
        var uses = new string[StateCount];
        for (var state = StateCount - 1; state >= 2; state--)
        {
            var consumers = new List<string>();
            for (var k = state - 1; k < blocks.Length; k++)
            {
                foreach (var input in new[] { blocks[k].First, blocks[k].Second })
                {
                    if (input.Input == state)
                    {
                        consumers.Add(input.Op + ">" + signatures[k + 2] + "@" + uses[k + 2]);
                    }
                }
            }

            consumers.Sort(StringComparer.Ordinal);
            var text = string.Join("|", consumers) + (outputStates.Contains(state) ? "|out" : string.Empty);
            uses[state] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        // Depth strictly grows along every edge, so sorting by depth first keeps the order topological.
        var order = Enumerable.Range(0, blocks.Length)
            .OrderBy(k => depths[k + 2])
            .ThenBy(k => signatures[k + 2], StringComparer.Ordinal)
            .ThenBy(k => uses[k + 2], StringComparer.Ordinal)
            .ThenBy(k => k)
            .ToArray();
        var renumber = new int[StateCount];
        renumber[0] = 0;
        renumber[1] = 1;
        for (var position = 0; position < order.Length; position++)
        {
            renumber[order[position] + 2] = position + 2;
        }

        var canonicalBlocks = order.Select(k =>
        {
            var first = blocks[k].First with { Input = renumber[blocks[k].First.Input] };
            var second = blocks[k].Second with { Input = renumber[blocks[k].Second.Input] };
            return CompareInputs(first, second) <= 0 ? new CellBlock(first, second) : new CellBlock(second, first);
        }).ToArray();
        var canonicalConcat = outputStates.Select(s => renumber[s]).Order().ToArray();
        return new CellGenotype(canonicalBlocks, canonicalConcat);
    }

    private static int CompareInputs(BlockInput a, BlockInput b)
    {
        var byInput = a.Input.CompareTo(b.Input);
        return byInput != 0 ? byInput : string.CompareOrdinal(a.Op, b.Op);
    }

    // ---- equality (as written, not canonical: use Genotype hashes to compare architectures) ----

    public bool Equals(CellGenotype? other) =>
        other is not null && blocks.SequenceEqual(other.blocks) &&
        (concat is null ? other.concat is null : other.concat is not null && concat.SequenceEqual(other.concat));

    public override bool Equals(object? obj) => Equals(obj as CellGenotype);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var block in blocks)
        {
            hash.Add(block);
        }

        hash.Add(concat?.Length ?? -1);
        foreach (var state in concat ?? [])
        {
            hash.Add(state);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(", ", blocks.Select((b, k) => $"[{k + 2}] = {b}")) +
        " → concat(" + string.Join(", ", outputStates.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";
}
