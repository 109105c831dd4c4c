using AutoNet.Torch.Modules;
using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's ResNet Bottleneck (ResNet v1.5): 1×1 reduce, 3×3 with the stride (not on the 1×1, as in the
/// original paper), 1×1 expand ×4, each with BatchNorm, the residual added before the last ReLU.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
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
        : base(nameof(Bottleneck))
    {
        conv1 = nn.Conv2d(inplanes, planes, 1, bias: false);
        bn1 = new FreezableBatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = new FreezableBatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = new FreezableBatchNorm2d(planes * Expansion);
        relu = nn.ReLU();
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = relu.forward(bn1.forward(conv1.forward(input)));
        output = relu.forward(bn2.forward(conv2.forward(output)));
        output = bn3.forward(conv3.forward(output));
        var identity = downsample is null ? input : downsample.forward(input);
        return relu.forward(output.add(identity, HeldScalars.One)).MoveToOuterDisposeScope();
    }
}
