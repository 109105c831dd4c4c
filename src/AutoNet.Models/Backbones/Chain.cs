using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>Forward helpers that free intermediate handles as soon as the next layer has run (autograd keeps what it needs natively).</summary>
internal static class Chain
{
    /// <summary>Runs <paramref name="module"/> on <paramref name="owned"/>, a tensor the caller owns, and frees it unless the module returned it (in-place layers).</summary>
    public static Tensor Next(Tensor owned, Module module)
    {
        var next = module.Forward(owned);
        if (!ReferenceEquals(next, owned))
        {
            owned.Dispose();
        }

        return next;
    }
}
