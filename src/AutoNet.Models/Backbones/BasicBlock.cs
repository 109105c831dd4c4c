using AutoNet.Torch.Modules;
using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>torchvision's ResNet BasicBlock: two 3×3 convolutions with BatchNorm, the stride on the first, and the residual added before the last ReLU.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
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
        : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = new FreezableBatchNorm2d(planes);
        relu = nn.ReLU();
        conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = new FreezableBatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = bn2.forward(conv2.forward(relu.forward(bn1.forward(conv1.forward(input)))));
        var identity = downsample is null ? input : downsample.forward(input);
        return relu.forward(output.add(identity, HeldScalars.One)).MoveToOuterDisposeScope();
    }
}
