using AutoNet.Models.Architecture;

namespace AutoNet.Models.MacroCnn;

/// <summary>Conv (no bias, "same" padding) → BN → ReLU; keys conv, bn.</summary>
public static class PlainUnit
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, long kernelSize, long stride) =>
        new SequentialNode(name, [
            new Conv2dOp("conv", inChannels, outChannels, kernelSize, stride, kernelSize / 2),
            new BatchNorm2dOp("bn", outChannels),
            new ActivationOp(null, Activation.Relu),
        ]);
}
