using static TorchSharp.torch;

namespace AutoNet.Models.Tests;

/// <summary>torch.equal: same shape and every element equal (TorchSharp's Tensor.equal is element-wise).</summary>
internal static class TensorEquality
{
    public static bool Same(this Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
        {
            return false;
        }

        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }
}
