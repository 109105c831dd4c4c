using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>
/// Halves resolution without losing every other pixel, as DARTS' FactorizedReduce: ReLU, then two 1×1 stride-2
/// convolutions (one shifted by a pixel) each giving half the output channels, concatenated, then BN. Needs an
/// even input size and an even number of output channels. Keys conv_1, conv_2, bn.
/// </summary>
public static class FactorizedReduce
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, bool affine = true)
    {
        if (outChannels % 2 != 0)
        {
            throw new ArgumentException($"FactorizedReduce needs an even number of output channels, got {outChannels}", nameof(outChannels));
        }

        return new SequentialNode(name, [
            new ActivationOp("relu", Activation.Relu),
            new ParallelNode(null, MergeKind.Concat, [
                new Conv2dOp("conv_1", inChannels, outChannels / 2, 1, 2, 0),
                new SequentialNode(null, [new CropOp(null, 1, 1), new Conv2dOp("conv_2", inChannels, outChannels / 2, 1, 2, 0)]),
            ]),
            new BatchNorm2dOp("bn", outChannels, affine),
        ]);
    }
}
