using static TorchSharp.torch;

namespace AutoNet.Models;

/// <summary>Counts TorchSharp lacks: the parameter elements of a module (what <see cref="ModelComplexity.Parameters"/> predicts).</summary>
public static class ModuleExtensions
{
    public static long ParameterCount(this nn.Module module, bool onlyTrainable = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(p => !onlyTrainable || p.requires_grad).Sum(p => p.numel());
    }
}
