namespace AutoNet.Models.Cells;

/// <summary>
/// The network-level ("macro") choices around a cell genotype, as DARTS' NetworkCIFAR: a stem (3x3 conv + BN to
/// <see cref="StemMultiplier"/> × <see cref="InitialChannels"/> channels, stride 1), then <see cref="Stages"/>
/// stages of <see cref="CellsPerStage"/> normal cells with a reduction cell between consecutive stages (each
/// reduction halves resolution and doubles the per-block channel count C), then global average pooling, dropout and
/// a linear classifier. DARTS' CIFAR-10 network is <c>InitialChannels = 36, CellsPerStage = 6, Stages = 3</c>
/// (20 cells).
/// </summary>
/// <param name="InitialChannels">C of the first stage's cells (channels per block output).</param>
/// <param name="CellsPerStage">N: normal cells per stage (0 allowed: reduction cells only).</param>
/// <param name="Stages">Number of stages (≥ 1); there are Stages − 1 reduction cells.</param>
/// <param name="InputChannels">Image channels (1 for grey, 3 for RGB).</param>
/// <param name="NumClasses">Classifier outputs.</param>
/// <param name="StemMultiplier">The stem's width as a multiple of C (DARTS: 3).</param>
/// <param name="Dropout">Dropout before the classifier (0: none, as DARTS).</param>
/// <param name="DropPath">Initial drop-path probability on non-identity edges in training; schedule it through CellNetwork.DropPathProbability.</param>
public sealed record CellNetworkSettings(
    int InitialChannels = 16,
    int CellsPerStage = 2,
    int Stages = 3,
    int InputChannels = 3,
    int NumClasses = 10,
    int StemMultiplier = 3,
    double Dropout = 0.0,
    double DropPath = 0.0)
{
    /// <summary>Total number of cells: Stages × CellsPerStage normal cells plus Stages − 1 reduction cells.</summary>
    public int CellCount => (Stages * CellsPerStage) + Stages - 1;

    /// <summary>Whether cell <paramref name="index"/> (0-based) is a reduction cell.</summary>
    public bool IsReduction(int index) => (index + 1) % (CellsPerStage + 1) == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(InitialChannels >= 1, nameof(InitialChannels), InitialChannels, "≥ 1");
        Check(CellsPerStage >= 0, nameof(CellsPerStage), CellsPerStage, "≥ 0");
        Check(Stages >= 1, nameof(Stages), Stages, "≥ 1");
        Check(InputChannels >= 1, nameof(InputChannels), InputChannels, "≥ 1 (1 for grey, 3 for RGB)");
        Check(NumClasses >= 1, nameof(NumClasses), NumClasses, "≥ 1");
        Check(StemMultiplier >= 1, nameof(StemMultiplier), StemMultiplier, "≥ 1");
        Check(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)");
        Check(DropPath is >= 0 and < 1, nameof(DropPath), DropPath, "in [0, 1)");
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"cell network setting {name} = {value} is out of range; expected {expected}", name);
        }
    }
}
