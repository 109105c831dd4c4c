using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

/// <summary>ReLU → Conv2d (no bias) → BatchNorm2d, as DARTS' ReLUConvBN; state_dict keys op.1.weight, op.2.*.</summary>
public sealed class ReLUConvBN : Module
{
    private readonly Sequential op;

    public ReLUConvBN(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool affine = true)
    {
        op = RegisterModule("op", new Sequential(
            new ReLU(),
            new Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias: false),
            new BatchNorm2d(outChannels, affine: affine)));
    }

    public override Tensor Forward(Tensor input) => op.Forward(input);
}
