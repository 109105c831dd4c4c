using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.MacroCnn;

/// <summary>Max over each channel's whole plane, as torch.nn.AdaptiveMaxPool2d(1).</summary>
public sealed class GlobalMaxPool : Module
{
    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, (1, 1));
}
