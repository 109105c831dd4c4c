using AutoNet.Torch.Kernels;

namespace AutoNet.Torch.Tests.Kernels;

/// <summary>A fact about libtorch's global switches: reported as skipped where their mangled entry points do not apply (Windows).</summary>
public sealed class LibtorchContextFactAttribute : FactAttribute
{
    public LibtorchContextFactAttribute()
    {
        if (!LibtorchContext.IsAvailable)
        {
            Skip = "libtorch's context switches are reached by Itanium-mangled names, which Windows builds do not export";
        }
    }
}
