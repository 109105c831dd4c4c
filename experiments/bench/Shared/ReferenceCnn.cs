using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Experiments;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// The benchmarks' reference CNN (~0.5 M parameters, 1×28×28 in, 10 classes) and its fixed random batches: the
/// throughput benchmark's PyTorch peer (throughput_pytorch.py) builds the very same network, and the loader
/// benchmark measures the loader against this network's training rate.
/// </summary>
internal static class ReferenceCnn
{
    public static Sequential Create()
    {
        static Module[] Block(long input, long output) =>
            [new Conv2d(input, output, 3, padding: 1, bias: false), new BatchNorm2d(output), new ReLU(inplace: true)];

        return new Sequential(
            [.. Block(1, 32), .. Block(32, 64), new MaxPool2d(2), .. Block(64, 128), new MaxPool2d(2),
             .. Block(128, 128), .. Block(128, 256), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(256, 10)]);
    }

    /// <summary>Pixel values do not change a training step's cost; the peer uses the same shapes and a fixed seed.</summary>
    public static (Tensor[] Inputs, Tensor[] Labels) MakeBatches(int batch, int count)
    {
        var inputs = new Tensor[count];
        var labels = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            inputs[i] = Torch.Randn([batch, 1, 28, 28]);
            labels[i] = Torch.RandInt(0, 10, [batch]);
        }

        return (inputs, labels);
    }
}
