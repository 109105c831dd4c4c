using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>
/// Two stacked depthwise-separable units (ReLU, depthwise k×k, pointwise 1×1, BN), the first with the stride, as
/// DARTS' SepConv; keys op.1 (depthwise), op.2 (pointwise), op.3 (BN), op.5, op.6, op.7.
/// </summary>
public static class SepConv
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, long kernelSize, long stride, long padding, bool affine = true) =>
        new SequentialNode(name, [
            new SequentialNode("op", [
                new ActivationOp("0", Activation.Relu),
                new Conv2dOp("1", inChannels, inChannels, kernelSize, stride, padding, Groups: inChannels),
                new Conv2dOp("2", inChannels, inChannels, 1, 1, 0),
                new BatchNorm2dOp("3", inChannels, affine),
                new ActivationOp("4", Activation.Relu),
                new Conv2dOp("5", inChannels, inChannels, kernelSize, 1, padding, Groups: inChannels),
                new Conv2dOp("6", inChannels, outChannels, 1, 1, 0),
                new BatchNorm2dOp("7", outChannels, affine),
            ]),
        ]);
}
