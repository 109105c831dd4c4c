using AutoNet.Models.Genotypes;

namespace AutoNet.Models.Transfer;

/// <summary>
/// The head a <see cref="TransferNetwork"/> puts on its feature extractor: <see cref="TransferHeadKind"/>, the MLP's
/// hidden width, the searched cell and its channels per block, and the dropout before the last linear layer.
/// </summary>
public sealed record TransferHead(TransferHeadKind Kind, int Hidden = 256, double Dropout = 0.0, CellGenotype? Cell = null, int CellChannels = 64)
{
    public static TransferHead Linear(double dropout = 0.0) => new(TransferHeadKind.Linear, Dropout: dropout);

    public static TransferHead Mlp(int hidden, double dropout = 0.0) => new(TransferHeadKind.Mlp, hidden, dropout);

    public static TransferHead SearchedCell(CellGenotype cell, int channels = 64, double dropout = 0.0) => new(TransferHeadKind.Cell, Dropout: dropout, Cell: cell, CellChannels: channels);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"transfer head kind {Kind} is unknown; expected linear, mlp or cell");
        }

        if (Kind == TransferHeadKind.Mlp && Hidden < 1)
        {
            throw new ArgumentException($"transfer head Hidden = {Hidden}: an MLP head needs at least 1 hidden unit");
        }

        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
        {
            throw new ArgumentException($"transfer head Dropout = {Dropout}: expected a value in [0, 1)");
        }

        if (Kind == TransferHeadKind.Cell && (Cell is null || CellChannels < 1))
        {
            throw new ArgumentException($"a cell head needs a cell genotype and CellChannels ≥ 1 (got {(Cell is null ? "no genotype" : "a genotype")}, {CellChannels} channels)");
        }
    }
}
