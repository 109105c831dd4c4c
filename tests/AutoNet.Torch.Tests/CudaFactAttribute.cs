using AutoNet.Torch;

namespace AutoNet.Torch.Tests;

/// <summary>A fact that needs a CUDA device: reported as skipped (never passed) where there is none.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!Cuda.IsAvailable)
        {
            Skip = "needs a CUDA device; this libtorch or machine has none";
        }
    }
}
