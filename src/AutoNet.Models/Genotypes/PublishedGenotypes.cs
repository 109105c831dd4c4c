namespace AutoNet.Models.Genotypes;

/// <summary>
/// Published cells, transcribed from DARTS' cnn/genotypes.py (Liu et al. 2019), with DARTS' explicit concat lists
/// and in the original block and input order (so the op order, and thus state_dict keys, match DARTS' models).
/// </summary>
public static class PublishedGenotypes
{
    /// <summary>DARTS (second order), the cell of the paper's CIFAR-10 results.</summary>
    public static Genotype DartsV2 { get; } = new(
        Cell([("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 1), ("skip_connect", 0), ("skip_connect", 0), ("dil_conv_3x3", 2)], [2, 3, 4, 5]),
        Cell([("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1), ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1)], [2, 3, 4, 5]));

    /// <summary>DARTS (first order).</summary>
    public static Genotype DartsV1 { get; } = new(
        Cell([("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("skip_connect", 0), ("sep_conv_3x3", 1), ("skip_connect", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("skip_connect", 2)], [2, 3, 4, 5]),
        Cell([("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 0), ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("avg_pool_3x3", 0)], [2, 3, 4, 5]));

    /// <summary>NASNet-A (Zoph et al. 2018), as DARTS transcribed it.</summary>
    public static Genotype NasNetA { get; } = new(
        Cell([("sep_conv_5x5", 1), ("sep_conv_3x3", 0), ("sep_conv_5x5", 0), ("sep_conv_3x3", 0), ("avg_pool_3x3", 1), ("skip_connect", 0), ("avg_pool_3x3", 0), ("avg_pool_3x3", 0), ("sep_conv_3x3", 1), ("skip_connect", 1)], [2, 3, 4, 5, 6]),
        Cell([("sep_conv_5x5", 1), ("sep_conv_7x7", 0), ("max_pool_3x3", 1), ("sep_conv_7x7", 0), ("avg_pool_3x3", 1), ("sep_conv_5x5", 0), ("skip_connect", 3), ("avg_pool_3x3", 2), ("sep_conv_3x3", 2), ("max_pool_3x3", 1)], [4, 5, 6]));

    /// <summary>AmoebaNet-A (Real et al. 2019), as DARTS transcribed it.</summary>
    public static Genotype AmoebaNetA { get; } = new(
        Cell([("avg_pool_3x3", 0), ("max_pool_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_5x5", 2), ("sep_conv_3x3", 0), ("avg_pool_3x3", 3), ("sep_conv_3x3", 1), ("skip_connect", 1), ("skip_connect", 0), ("avg_pool_3x3", 1)], [4, 5, 6]),
        Cell([("avg_pool_3x3", 0), ("sep_conv_3x3", 1), ("max_pool_3x3", 0), ("sep_conv_7x7", 2), ("sep_conv_7x7", 0), ("avg_pool_3x3", 1), ("max_pool_3x3", 0), ("max_pool_3x3", 1), ("conv_7x1_1x7", 0), ("sep_conv_3x3", 5)], [3, 4, 6]));

    /// <summary>Every published genotype by the name DARTS' genotypes.py gives it.</summary>
    public static IReadOnlyDictionary<string, Genotype> ByName { get; } = new Dictionary<string, Genotype>(StringComparer.OrdinalIgnoreCase)
    {
        ["DARTS_V2"] = DartsV2,
        ["DARTS_V1"] = DartsV1,
        ["NASNet"] = NasNetA,
        ["AmoebaNet"] = AmoebaNetA,
    };

    /// <summary>A cell from DARTS' flat (op, input) list, two entries per block.</summary>
    public static CellGenotype Cell(IReadOnlyList<(string Op, int Input)> inputs, IReadOnlyList<int>? concat = null)
    {
        if (inputs.Count % 2 != 0)
        {
            throw new GenotypeException("blocks", $"DARTS' flat form lists two inputs per block, got {inputs.Count} entries");
        }

        var blocks = Enumerable.Range(0, inputs.Count / 2)
            .Select(k => new CellBlock(new BlockInput(inputs[2 * k].Input, inputs[2 * k].Op), new BlockInput(inputs[(2 * k) + 1].Input, inputs[(2 * k) + 1].Op)));
        return new CellGenotype(blocks, concat);
    }
}
