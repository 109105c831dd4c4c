using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Experiments;

/// <summary>
/// The benchmarks' reference CNN (~0.5 M parameters, 1×28×28 in, 10 classes) and its fixed random batches: the
/// throughput benchmark's PyTorch peer (throughput_pytorch.py) builds the very same network, and the loader
/// benchmark measures the loader against this network's training rate.
/// </summary>
internal static class ReferenceCnn
{
    public static nn.Module<Tensor, Tensor> Create()
    {
        static (string, nn.Module<Tensor, Tensor>)[] Block(int index, long input, long output) =>
        [
            ($"{index}", nn.Conv2d(input, output, 3, padding: 1, bias: false)),
            ($"{index + 1}", nn.BatchNorm2d(output)),
            ($"{index + 2}", nn.ReLU(inplace: true)),
        ];

        // Numbered as nn.Sequential numbers its children, so the state dict's keys are PyTorch's.
        return nn.Sequential(
            [.. Block(0, 1, 32), .. Block(3, 32, 64), ("6", nn.MaxPool2d(2)), .. Block(7, 64, 128), ("10", nn.MaxPool2d(2)),
             .. Block(11, 128, 128), .. Block(14, 128, 256), ("17", nn.AdaptiveAvgPool2d(1)), ("18", nn.Flatten()), ("19", nn.Linear(256, 10))]);
    }

    /// <summary>Pixel values do not change a training step's cost; the peer uses the same shapes and a fixed seed.</summary>
    public static (Tensor[] Inputs, Tensor[] Labels) MakeBatches(int batch, int count)
    {
        var inputs = new Tensor[count];
        var labels = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            inputs[i] = torch.randn(batch, 1, 28, 28);
            labels[i] = torch.randint(0, 10, [batch]);
        }

        return (inputs, labels);
    }
}
