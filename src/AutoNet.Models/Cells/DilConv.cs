using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>ReLU → dilated depthwise k×k → pointwise 1×1 → BN, as DARTS' DilConv; keys op.1, op.2, op.3.</summary>
public static class DilConv
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, long kernelSize, long stride, long padding, long dilation, bool affine = true) =>
        new SequentialNode(name, [
            new SequentialNode("op", [
                new ActivationOp("0", Activation.Relu),
                new Conv2dOp("1", inChannels, inChannels, kernelSize, stride, padding, dilation, Groups: inChannels),
                new Conv2dOp("2", inChannels, outChannels, 1, 1, 0),
                new BatchNorm2dOp("3", outChannels, affine),
            ]),
        ]);
}
