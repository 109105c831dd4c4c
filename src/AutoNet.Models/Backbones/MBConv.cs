using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's EfficientNet MBConv: <c>block</c> = [1×1 expand ConvBNSiLU when the ratio changes the width,]
/// k×k depthwise ConvBNSiLU with the stride, SqueezeExcitation (squeeze to max(1, in / 4), SiLU), 1×1 ConvBN
/// projection; with stride 1 and unchanged channels, <c>stochastic_depth</c> ("row" mode) on the block and the input added.
/// </summary>
public sealed class MBConv : nn.Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly DropPath stochastic_depth;

    internal MBConv(double expandRatio, long kernel, long stride, long inputChannels, long outChannels, double stochasticDepthProb)
        : base(nameof(MBConv))
    {
        UsesResidual = stride == 1 && inputChannels == outChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        var expanded = Channels.MakeDivisible(inputChannels * expandRatio);
        if (expanded != inputChannels)
        {
            layers.Add(ConvNormActivation.Create(inputChannels, expanded, kernelSize: 1, activation: nn.SiLU()));
        }

        layers.Add(ConvNormActivation.Create(expanded, expanded, kernelSize: kernel, stride: stride, groups: expanded, activation: nn.SiLU()));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inputChannels / 4), nn.SiLU()));
        layers.Add(ConvNormActivation.Create(expanded, outChannels, kernelSize: 1));
        block = nn.Sequential(layers);
        stochastic_depth = new DropPath(stochasticDepthProb);
        RegisterComponents();
    }

    public bool UsesResidual { get; }

    public double StochasticDepthProb => stochastic_depth.P;

    /// <summary>Set by <see cref="Backbone.FreezeStages"/>: a frozen block skips stochastic depth, as in eval mode.</summary>
    public bool Frozen { get; internal set; }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var result = block.forward(input);
        if (UsesResidual)
        {
            if (!Frozen)
            {
                result = stochastic_depth.forward(result);
            }

            result = result.add(input, HeldScalars.One);
        }

        return result.MoveToOuterDisposeScope();
    }
}
