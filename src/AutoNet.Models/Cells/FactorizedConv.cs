using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>
/// ReLU → 1×k conv → k×1 conv → BN (NASNet's "1x7 then 7x1"; DARTS' conv_7x1_1x7). The stride is split between
/// the two convolutions, as DARTS does. Keys 1.weight, 2.weight, 3.* (a bare Sequential, as in DARTS).
/// </summary>
public static class FactorizedConv
{
    public static ArchNode Describe(string? name, long channels, long kernelSize, long stride, bool affine = true) =>
        new SequentialNode(name, [
            new ActivationOp("0", Activation.Relu),
            new Conv2dOp("1", channels, channels, new Size2(1, kernelSize), new Size2(1, stride), new Size2(0, kernelSize / 2)),
            new Conv2dOp("2", channels, channels, new Size2(kernelSize, 1), new Size2(stride, 1), new Size2(kernelSize / 2, 0)),
            new BatchNorm2dOp("3", channels, affine),
        ]);
}
