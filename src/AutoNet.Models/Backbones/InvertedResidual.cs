using AutoNet.Torch.Modules;
using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's MobileNetV2 InvertedResidual: <c>conv</c> = [1×1 expand ConvBNReLU6 when t ≠ 1,] 3×3 depthwise
/// ConvBNReLU6 with the stride, 1×1 linear projection conv and BatchNorm; the input is added when the stride is 1
/// and the channels are unchanged.
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    internal InvertedResidual(long inp, long oup, long stride, long expandRatio)
        : base(nameof(InvertedResidual))
    {
        var hidden = inp * expandRatio;
        UsesResidual = stride == 1 && inp == oup;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expandRatio != 1)
        {
            layers.Add(ConvNormActivation.Create(inp, hidden, kernelSize: 1, activation: nn.ReLU6()));
        }

        layers.Add(ConvNormActivation.Create(hidden, hidden, stride: stride, groups: hidden, activation: nn.ReLU6()));
        layers.Add(nn.Conv2d(hidden, oup, 1, stride: 1, padding: 0L, bias: false));
        layers.Add(new FreezableBatchNorm2d(oup));
        conv = nn.Sequential(layers);
        RegisterComponents();
    }

    public bool UsesResidual { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = conv.forward(input);
        return (UsesResidual ? output.add(input, HeldScalars.One) : output).MoveToOuterDisposeScope();
    }
}
