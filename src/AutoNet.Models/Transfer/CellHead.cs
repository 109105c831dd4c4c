using AutoNet.Models.Architecture;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;

namespace AutoNet.Models.Transfer;

/// <summary>
/// A searched normal cell on a feature map (both of its inputs are that map, as the first cell after a DARTS stem),
/// then global average pooling, dropout and a linear classifier. Keys: cell.…, classifier.
/// </summary>
public static class CellHead
{
    public static ArchNode Describe(string? name, CellGenotype genotype, long inChannels, long channels, long numClasses, double dropout)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        var cell = new Cell(genotype, inChannels, inChannels, channels, IsReduction: false, ReductionPrev: false);
        return new SequentialNode(name, [
            new GraphNode(null, 1, [new GraphStep(cell.Describe("cell"), [0, 0])], [1]),
            new GlobalPoolOp(null, PoolKind.Avg),
            new FlattenOp(null),
            new DropoutOp("dropout", dropout),
            new LinearOp("classifier", cell.OutputChannels, numClasses),
        ]);
    }
}
