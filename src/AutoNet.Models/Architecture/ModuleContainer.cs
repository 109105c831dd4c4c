using static TorchSharp.torch;

namespace AutoNet.Models.Architecture;

/// <summary>The module a dotted name implies ("_ops" of "_ops.3"): it only holds children, as a PyTorch ModuleList does.</summary>
public sealed class ModuleContainer : nn.Module
{
    public ModuleContainer(string name)
        : base(name)
    {
    }
}
