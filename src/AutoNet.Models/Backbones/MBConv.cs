using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torchvision's EfficientNet MBConv: <c>block</c> = [1×1 expand ConvBNSiLU when the ratio changes the width,]
/// k×k depthwise ConvBNSiLU with the stride, SqueezeExcitation (squeeze to max(1, in / 4), SiLU), 1×1 ConvBN
/// projection; with stride 1 and unchanged channels, <c>stochastic_depth</c> ("row" mode) on the block and the input added.
/// </summary>
public sealed class MBConv : Module
{
    private readonly Sequential block;
    private readonly DropPath stochasticDepth;

    internal MBConv(double expandRatio, long kernel, long stride, long inputChannels, long outChannels, double stochasticDepthProb)
    {
        UsesResidual = stride == 1 && inputChannels == outChannels;
        var layers = new Sequential();
        var expanded = Channels.MakeDivisible(inputChannels * expandRatio);
        if (expanded != inputChannels)
        {
            layers.Add(ConvNormActivation.Create(inputChannels, expanded, kernelSize: 1, activation: new SiLU()));
        }

        layers.Add(ConvNormActivation.Create(expanded, expanded, kernelSize: kernel, stride: stride, groups: expanded, activation: new SiLU()));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inputChannels / 4), new SiLU()));
        layers.Add(ConvNormActivation.Create(expanded, outChannels, kernelSize: 1));
        block = RegisterModule("block", layers);
        stochasticDepth = RegisterModule("stochastic_depth", new DropPath(stochasticDepthProb));
    }

    public bool UsesResidual { get; }

    public double StochasticDepthProb => stochasticDepth.P;

    /// <summary>Set by <see cref="Backbone.FreezeStages"/>: a frozen block skips stochastic depth, as in eval mode.</summary>
    public bool Frozen { get; internal set; }

    public override Tensor Forward(Tensor input)
    {
        var result = block.Forward(input);
        if (!UsesResidual)
        {
            return result;
        }

        if (!Frozen)
        {
            result = Chain.Next(result, stochasticDepth);
        }

        return result.Add_(input);
    }
}
