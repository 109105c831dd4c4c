using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's MobileNetV2 InvertedResidual: <c>conv</c> = [1×1 expand ConvBNReLU6 when t ≠ 1,] 3×3 depthwise
/// ConvBNReLU6 with the stride, 1×1 linear projection conv and BatchNorm; the input is added when the stride is 1
/// and the channels are unchanged.
/// </summary>
public sealed class InvertedResidual : Module
{
    private readonly Sequential conv;

    internal InvertedResidual(long inp, long oup, long stride, long expandRatio)
    {
        var hidden = inp * expandRatio;
        UsesResidual = stride == 1 && inp == oup;
        var layers = new Sequential();
        if (expandRatio != 1)
        {
            layers.Add(ConvNormActivation.Create(inp, hidden, kernelSize: 1, activation: new ReLU6()));
        }

        layers.Add(ConvNormActivation.Create(hidden, hidden, stride: stride, groups: hidden, activation: new ReLU6()));
        layers.Add(new Conv2d(hidden, oup, 1, 1, 0, bias: false));
        layers.Add(new FreezableBatchNorm2d(oup));
        conv = RegisterModule("conv", layers);
    }

    public bool UsesResidual { get; }

    public override Tensor Forward(Tensor input)
    {
        var output = conv.Forward(input);
        return UsesResidual ? output.Add_(input) : output;
    }
}
