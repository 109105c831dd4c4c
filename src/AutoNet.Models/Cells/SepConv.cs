using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>
/// Two stacked depthwise-separable units (ReLU, depthwise k×k, pointwise 1×1, BN), the first with the stride, as
/// DARTS' SepConv; keys op.1 (depthwise), op.2 (pointwise), op.3 (BN), op.5, op.6, op.7.
/// </summary>
public sealed class SepConv : Module
{
    private readonly Sequential op;

    public SepConv(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool affine = true)
    {
        op = RegisterModule("op", new Sequential(
            new ReLU(),
            new Conv2d(inChannels, inChannels, kernelSize, stride, padding, groups: inChannels, bias: false),
            new Conv2d(inChannels, inChannels, 1, bias: false),
            new BatchNorm2d(inChannels, affine: affine),
            new ReLU(),
            new Conv2d(inChannels, inChannels, kernelSize, 1, padding, groups: inChannels, bias: false),
            new Conv2d(inChannels, outChannels, 1, bias: false),
            new BatchNorm2d(outChannels, affine: affine)));
    }

    public override Tensor Forward(Tensor input) => op.Forward(input);
}
