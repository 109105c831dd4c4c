using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's ResNet Bottleneck (ResNet v1.5): 1×1 reduce, 3×3 with the stride (not on the 1×1, as in the
/// original paper), 1×1 expand ×4, each with BatchNorm, the residual added before the last ReLU.
/// </summary>
public sealed class Bottleneck : Module
{
    public const long Expansion = 4;

    private readonly Conv2d conv1;
    private readonly FreezableBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly FreezableBatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly FreezableBatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;

    internal Bottleneck(long inplanes, long planes, long stride, Sequential? downsample)
    {
        conv1 = RegisterModule("conv1", new Conv2d(inplanes, planes, 1, bias: false));
        bn1 = RegisterModule("bn1", new FreezableBatchNorm2d(planes));
        conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, stride, padding: 1, bias: false));
        bn2 = RegisterModule("bn2", new FreezableBatchNorm2d(planes));
        conv3 = RegisterModule("conv3", new Conv2d(planes, planes * Expansion, 1, bias: false));
        bn3 = RegisterModule("bn3", new FreezableBatchNorm2d(planes * Expansion));
        relu = RegisterModule("relu", new ReLU(inplace: true));
        this.downsample = downsample is null ? null : RegisterModule("downsample", downsample);
    }

    public override Tensor Forward(Tensor input)
    {
        var output = conv1.Forward(input);
        output = Chain.Next(output, bn1);
        output = Chain.Next(output, relu);
        output = Chain.Next(output, conv2);
        output = Chain.Next(output, bn2);
        output = Chain.Next(output, relu);
        output = Chain.Next(output, conv3);
        output = Chain.Next(output, bn3);
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
