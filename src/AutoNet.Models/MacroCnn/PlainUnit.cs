using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.MacroCnn;

/// <summary>Conv (no bias, "same" padding) → BN → ReLU; keys conv, bn.</summary>
public sealed class PlainUnit : Module
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public PlainUnit(long inChannels, long outChannels, long kernelSize, long stride)
    {
        conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, stride, kernelSize / 2, bias: false));
        bn = RegisterModule("bn", new BatchNorm2d(outChannels));
    }

    public override Tensor Forward(Tensor input)
    {
        using var x = conv.Forward(input);
        using var y = bn.Forward(x);
        return Functional.Relu(y);
    }
}
