namespace AutoNet.Search.Spaces;

/// <summary>
/// The cell part of a space (NASNet/DARTS): each listed cell (normal, reduction) has
/// <see cref="Blocks"/> blocks; block i picks two inputs among the two previous cells' outputs
/// (0 = cell k-2, 1 = cell k-1) and the earlier blocks (2 + j = block j), so its input domain is
/// [0, i + 1], and one op from <see cref="Ops"/> for each input.
/// </summary>
public sealed class CellSpace
{
    /// <summary>The number of inputs (and ops) of every block, as in NASNet and DARTS.</summary>
    public const int InputsPerBlock = 2;

    /// <summary>The most blocks a cell may have; more is surely a typo and would make huge cells.</summary>
    public const int MaxBlocks = 12;

    public static IReadOnlyList<string> KnownCells { get; } = ["normal", "reduction"];

    public CellSpace(int blocks, IReadOnlyList<string> ops, IReadOnlyList<string>? cells = null, IReadOnlyList<ParameterCondition>? conditions = null, CellConcat concat = CellConcat.Unused)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, MaxBlocks);
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count == 0 || ops.Distinct(StringComparer.Ordinal).Count() != ops.Count)
        {
            throw new ArgumentException("a cell space needs at least one op and no op twice", nameof(ops));
        }

        cells ??= KnownCells;
        if (cells.Count == 0 || cells.Any(c => !KnownCells.Contains(c)) || cells.Distinct(StringComparer.Ordinal).Count() != cells.Count)
        {
            throw new ArgumentException($"cells must be distinct names among [{string.Join(", ", KnownCells)}]", nameof(cells));
        }

        Blocks = blocks;
        Ops = [.. ops];
        Cells = [.. cells];
        Conditions = conditions is null ? [] : [.. conditions];
        Concat = concat;
    }

    public int Blocks { get; }

    public IReadOnlyList<string> Ops { get; }

    /// <summary>The cells searched, in order; normal and reduction unless the space lists fewer (a searched head has only a normal cell).</summary>
    public IReadOnlyList<string> Cells { get; }

    /// <summary>Which block outputs form a cell's output; not a decision, a property of the space.</summary>
    public CellConcat Concat { get; }

    /// <summary>Conditions every cell decision carries (a transfer space searches a cell only when its head is a cell).</summary>
    public IReadOnlyList<ParameterCondition> Conditions { get; }

    public static string InputLabel(string cell, int block, int slot) => $"{cell}/block{block}/input{slot}";

    public static string OpLabel(string cell, int block, int slot) => $"{cell}/block{block}/op{slot}";

    /// <summary>The decisions in order: per cell, per block, input0, op0, input1, op1.</summary>
    public IReadOnlyList<SearchParameter> Decisions()
    {
        var ops = Ops.Select(ParameterValue.Of).ToArray();
        var decisions = new List<SearchParameter>();
        foreach (var cell in Cells)
        {
            for (var block = 0; block < Blocks; block++)
            {
                var inputs = Enumerable.Range(0, block + 2).Select(i => ParameterValue.Of((long)i)).ToArray();
                for (var slot = 0; slot < InputsPerBlock; slot++)
                {
                    decisions.Add(new CategoricalParameter(InputLabel(cell, block, slot), DecisionRole.CellInput, inputs, Conditions));
                    decisions.Add(new CategoricalParameter(OpLabel(cell, block, slot), DecisionRole.CellOp, ops, Conditions));
                }
            }
        }

        return decisions;
    }
}
