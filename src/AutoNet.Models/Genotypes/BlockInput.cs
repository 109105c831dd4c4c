namespace AutoNet.Models.Genotypes;

/// <summary>
/// One of a block's two inputs: which earlier state it reads (<see cref="Input"/>: 0 and 1 are the outputs of the
/// cell before the previous one and of the previous cell; 2 + k is block k of this cell) and the op applied to it.
/// </summary>
public readonly record struct BlockInput(int Input, string Op)
{
    public override string ToString() => $"{Op}({Input})";
}
