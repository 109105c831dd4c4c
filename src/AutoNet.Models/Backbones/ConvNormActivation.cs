using AutoNet.Torch.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision.ops.Conv2dNormActivation: a Sequential of a bias-free Conv2d ("0") with padding (k - 1) / 2, a
/// BatchNorm2d ("1") and an optional activation ("2").
/// </summary>
internal static class ConvNormActivation
{
    public static Sequential Create(long inChannels, long outChannels, long kernelSize = 3, long stride = 1, long groups = 1, nn.Module<Tensor, Tensor>? activation = null)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false),
            new FreezableBatchNorm2d(outChannels),
        };
        if (activation is not null)
        {
            layers.Add(activation);
        }

        return nn.Sequential(layers);
    }
}
