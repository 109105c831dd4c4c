namespace AutoNet.Models.Genotypes;

/// <summary>A block of a cell: two inputs, each through its op, summed. The block's output is a new state.</summary>
public sealed record CellBlock(BlockInput First, BlockInput Second)
{
    public CellBlock(int firstInput, string firstOp, int secondInput, string secondOp)
        : this(new BlockInput(firstInput, firstOp), new BlockInput(secondInput, secondOp))
    {
    }

    public override string ToString() => $"{First} + {Second}";
}
