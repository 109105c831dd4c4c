namespace AutoNet.Models.Genotypes;

/// <summary>
/// The canonical op names a cell genotype may use, as in the DARTS and NASNet papers (and NNI). Every name here
/// has a module in Cells.CellOps. Names are case-sensitive.
/// </summary>
public static class OpNames
{
    /// <summary>The zero op: the edge contributes nothing (DARTS' "none").</summary>
    public const string None = "none";

    /// <summary>Identity, or a factorized reduce when the edge has stride 2.</summary>
    public const string SkipConnect = "skip_connect";

    public const string SepConv3x3 = "sep_conv_3x3";
    public const string SepConv5x5 = "sep_conv_5x5";
    public const string SepConv7x7 = "sep_conv_7x7";
    public const string DilConv3x3 = "dil_conv_3x3";
    public const string DilConv5x5 = "dil_conv_5x5";
    public const string MaxPool3x3 = "max_pool_3x3";
    public const string MaxPool5x5 = "max_pool_5x5";
    public const string MaxPool7x7 = "max_pool_7x7";
    public const string AvgPool3x3 = "avg_pool_3x3";

    /// <summary>ReLU, a 1x1 convolution, BN.</summary>
    public const string Conv1x1 = "conv_1x1";

    /// <summary>ReLU, a 3x3 convolution, BN.</summary>
    public const string Conv3x3 = "conv_3x3";

    /// <summary>ReLU, a 1x3 then a 3x1 convolution, BN (NASNet's "1x3 then 3x1").</summary>
    public const string Conv3x1x1x3 = "conv_3x1_1x3";

    /// <summary>ReLU, a 1x7 then a 7x1 convolution, BN (the name DARTS' genotypes.py uses).</summary>
    public const string Conv7x1x1x7 = "conv_7x1_1x7";

    /// <summary>The eight ops of the DARTS search space, in the order of DARTS' PRIMITIVES.</summary>
    public static IReadOnlyList<string> Darts { get; } =
    [
        None, MaxPool3x3, AvgPool3x3, SkipConnect, SepConv3x3, SepConv5x5, DilConv3x3, DilConv5x5,
    ];

    /// <summary>NASNet's op set (Zoph et al. 2018, section 3), under the DARTS-style names.</summary>
    public static IReadOnlyList<string> NasNet { get; } =
    [
        SkipConnect, Conv3x1x1x3, Conv7x1x1x7, DilConv3x3, AvgPool3x3, MaxPool3x3, MaxPool5x5, MaxPool7x7,
        Conv1x1, Conv3x3, SepConv3x3, SepConv5x5, SepConv7x7,
    ];

    /// <summary>Every known op name.</summary>
    public static IReadOnlyList<string> All { get; } = Darts.Concat(NasNet).Distinct(StringComparer.Ordinal).ToArray();

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string name) => name is not null && Known.Contains(name);
}
