using TorchSharp;

namespace AutoNet.Torch.Tests;

/// <summary>A fact that needs a CUDA device: reported as skipped (never passed) where there is none.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available())
        {
            Skip = "needs a CUDA device; this build uses CPU libtorch (AutoNetDevice=cpu) or the machine has none";
        }
    }
}
