using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.MacroCnn;

/// <summary>
/// ResNet's basic block with a k×k kernel: conv1-bn1-ReLU-conv2-bn2, plus the input (or a 1×1 conv-BN
/// "shortcut" when width or stride change), then ReLU; keys conv1, bn1, conv2, bn2, shortcut.0, shortcut.1.
/// </summary>
public sealed class ResidualUnit : Module
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? shortcut;

    public ResidualUnit(long inChannels, long outChannels, long kernelSize, long stride)
    {
        conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, kernelSize, stride, kernelSize / 2, bias: false));
        bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels));
        conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, kernelSize, 1, kernelSize / 2, bias: false));
        bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = RegisterModule("shortcut", new Sequential(new Conv2d(inChannels, outChannels, 1, stride, bias: false), new BatchNorm2d(outChannels)));
        }
    }

    public override Tensor Forward(Tensor input)
    {
        using var a = conv1.Forward(input);
        using var b = bn1.Forward(a);
        using var c = Functional.Relu(b);
        using var d = conv2.Forward(c);
        using var e = bn2.Forward(d);
        using var skip = shortcut is null ? input.Alias() : shortcut.Forward(input);
        using var sum = e.Add(skip);
        return Functional.Relu(sum);
    }
}
