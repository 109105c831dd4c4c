using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>
/// ReLU → 1×k conv → k×1 conv → BN (NASNet's "1x7 then 7x1"; DARTS' conv_7x1_1x7). The stride is split between
/// the two convolutions, as DARTS does. Keys 1.weight, 2.weight, 3.* (a bare Sequential, as in DARTS).
/// </summary>
public static class FactorizedConv
{
    public static Sequential Create(long channels, long kernelSize, long stride, bool affine = true) => new(
        new ReLU(),
        new Conv2d(channels, channels, (1, kernelSize), (1, stride), (0, kernelSize / 2), bias: false),
        new Conv2d(channels, channels, (kernelSize, 1), (stride, 1), (kernelSize / 2, 0), bias: false),
        new BatchNorm2d(channels, affine: affine));
}
