using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>The "none" op: zeros shaped like the input (subsampled when the edge has stride 2), as DARTS' Zero.</summary>
public sealed class Zero(long stride) : Module
{
    public long Stride { get; } = stride;

    public override Tensor Forward(Tensor input)
    {
        if (Stride == 1)
        {
            return input.Mul(0.0);
        }

        using var rows = input.Slice(2, 0, input.Size(2), Stride);
        using var sampled = rows.Slice(3, 0, input.Size(3), Stride);
        return sampled.Mul(0.0);
    }
}
