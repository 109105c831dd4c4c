using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

/// <summary>A loader fact that needs a CUDA device: reported as skipped (never passed) where there is none.</summary>
public sealed class LoaderCudaFactAttribute : FactAttribute
{
    public LoaderCudaFactAttribute()
    {
        if (!torch.cuda.is_available())
        {
            Skip = "needs a CUDA device; this libtorch or machine has none";
        }
    }
}
