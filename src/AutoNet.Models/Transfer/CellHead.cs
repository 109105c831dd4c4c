using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Transfer;

/// <summary>
/// A searched normal cell on a feature map (both of its inputs are that map, as the first cell after a DARTS stem),
/// then global average pooling, dropout and a linear classifier. Keys: cell.…, classifier.
/// </summary>
public sealed class CellHead : Module
{
    private readonly Cell cell;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public CellHead(CellGenotype genotype, long inChannels, long channels, long numClasses, double dropout)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        cell = RegisterModule("cell", new Cell(genotype, inChannels, inChannels, channels, reduction: false, reductionPrev: false));
        this.dropout = RegisterModule("dropout", new Dropout(dropout));
        classifier = RegisterModule("classifier", new Linear(cell.OutputChannels, numClasses));
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var map = cell.Forward(input, input);
        using var pooled = Functional.AdaptiveAvgPool2d(map, (1, 1));
        using var flat = pooled.Flatten(1);
        using var dropped = dropout.Forward(flat);
        return classifier.Forward(dropped);
    }
}
