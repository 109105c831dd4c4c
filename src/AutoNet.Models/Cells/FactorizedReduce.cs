using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Cells;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Halves resolution without losing every other pixel, as DARTS' FactorizedReduce: ReLU, then two 1×1 stride-2
/// convolutions (one shifted by a pixel) each giving half the output channels, concatenated, then BN. Needs an
/// even input size and an even number of output channels.
/// </summary>
public sealed class FactorizedReduce : Module
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn;

    public FactorizedReduce(long inChannels, long outChannels, bool affine = true)
    {
        if (outChannels % 2 != 0)
        {
            throw new ArgumentException($"FactorizedReduce needs an even number of output channels, got {outChannels}", nameof(outChannels));
        }

        conv1 = RegisterModule("conv_1", new Conv2d(inChannels, outChannels / 2, 1, 2, bias: false));
        conv2 = RegisterModule("conv_2", new Conv2d(inChannels, outChannels / 2, 1, 2, bias: false));
        bn = RegisterModule("bn", new BatchNorm2d(outChannels, affine: affine));
    }

    public override Tensor Forward(Tensor input)
    {
        if (input.Size(2) % 2 != 0 || input.Size(3) % 2 != 0)
        {
            throw new ArgumentException($"FactorizedReduce needs an even height and width, got {input.Size(2)}x{input.Size(3)}", nameof(input));
        }

        using var x = Functional.Relu(input);
        using var a = conv1.Forward(x);
        using var rows = x.Slice(2, 1, x.Size(2));
        using var shifted = rows.Slice(3, 1, x.Size(3));
        using var b = conv2.Forward(shifted);
        using var both = Torch.Cat([a, b], 1);
        return bn.Forward(both);
    }
}
