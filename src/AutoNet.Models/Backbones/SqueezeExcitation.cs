using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>torchvision.ops.SqueezeExcitation: avgpool, fc1 (1×1 conv), activation, fc2 (1×1 conv), sigmoid, times the input.</summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly Sigmoid scale_activation;

    internal SqueezeExcitation(long inputChannels, long squeezeChannels, nn.Module<Tensor, Tensor> activation)
        : base(nameof(SqueezeExcitation))
    {
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = activation;
        scale_activation = nn.Sigmoid();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var scale = scale_activation.forward(fc2.forward(activation.forward(fc1.forward(avgpool.forward(input)))));
        return scale.mul(input).MoveToOuterDisposeScope();
    }
}
