using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>torchvision's ResNet BasicBlock: two 3×3 convolutions with BatchNorm, the stride on the first, and the residual added before the last ReLU.</summary>
public sealed class BasicBlock : Module
{
    public const long Expansion = 1;

    private readonly Conv2d conv1;
    private readonly FreezableBatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly FreezableBatchNorm2d bn2;
    private readonly Sequential? downsample;

    /// <param name="downsample">Built by the caller before this block, as torchvision does (the order random initialisation draws in).</param>
    internal BasicBlock(long inplanes, long planes, long stride, Sequential? downsample)
    {
        conv1 = RegisterModule("conv1", new Conv2d(inplanes, planes, 3, stride, padding: 1, bias: false));
        bn1 = RegisterModule("bn1", new FreezableBatchNorm2d(planes));
        relu = RegisterModule("relu", new ReLU(inplace: true));
        conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, 1, padding: 1, bias: false));
        bn2 = RegisterModule("bn2", new FreezableBatchNorm2d(planes));
        this.downsample = downsample is null ? null : RegisterModule("downsample", downsample);
    }

    public override Tensor Forward(Tensor input)
    {
        var output = conv1.Forward(input);
        output = Chain.Next(output, bn1);
        output = Chain.Next(output, relu);
        output = Chain.Next(output, conv2);
        output = Chain.Next(output, bn2);
        if (downsample is null)
        {
            output.Add_(input);
        }
        else
        {
            using var identity = downsample.Forward(input);
            output.Add_(identity);
        }

        return Chain.Next(output, relu);
    }
}
