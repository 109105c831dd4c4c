using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>ReLU → Conv2d (no bias) → BatchNorm2d, as DARTS' ReLUConvBN; state_dict keys op.1.weight, op.2.*.</summary>
public static class ReLUConvBN
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, long kernelSize, long stride, long padding, bool affine = true) =>
        new SequentialNode(name, [
            new SequentialNode("op", [
                new ActivationOp("0", Activation.Relu),
                new Conv2dOp("1", inChannels, outChannels, kernelSize, stride, padding),
                new BatchNorm2dOp("2", outChannels, affine),
            ]),
        ]);
}
