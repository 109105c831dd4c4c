using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>torchvision.ops.SqueezeExcitation: avgpool, fc1 (1×1 conv), activation, fc2 (1×1 conv), sigmoid, times the input.</summary>
public sealed class SqueezeExcitation : Module
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly Module activation;
    private readonly Sigmoid scaleActivation;

    internal SqueezeExcitation(long inputChannels, long squeezeChannels, Module activation)
    {
        avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        fc1 = RegisterModule("fc1", new Conv2d(inputChannels, squeezeChannels, 1));
        fc2 = RegisterModule("fc2", new Conv2d(squeezeChannels, inputChannels, 1));
        this.activation = RegisterModule("activation", activation);
        scaleActivation = RegisterModule("scale_activation", new Sigmoid());
    }

    public override Tensor Forward(Tensor input)
    {
        var scale = avgpool.Forward(input);
        scale = Chain.Next(scale, fc1);
        scale = Chain.Next(scale, activation);
        scale = Chain.Next(scale, fc2);
        scale = Chain.Next(scale, scaleActivation);
        using (scale)
        {
            return scale.Mul(input);
        }
    }
}
