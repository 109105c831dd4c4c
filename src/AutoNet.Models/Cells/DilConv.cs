using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>ReLU → dilated depthwise k×k → pointwise 1×1 → BN, as DARTS' DilConv; keys op.1, op.2, op.3.</summary>
public sealed class DilConv : Module
{
    private readonly Sequential op;

    public DilConv(long inChannels, long outChannels, long kernelSize, long stride, long padding, long dilation, bool affine = true)
    {
        op = RegisterModule("op", new Sequential(
            new ReLU(),
            new Conv2d(inChannels, inChannels, kernelSize, stride, padding, dilation, groups: inChannels, bias: false),
            new Conv2d(inChannels, outChannels, 1, bias: false),
            new BatchNorm2d(outChannels, affine: affine)));
    }

    public override Tensor Forward(Tensor input) => op.Forward(input);
}
