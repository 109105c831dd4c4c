using AutoNet.Models.Architecture;

namespace AutoNet.Models.MacroCnn;

/// <summary>
/// ResNet's basic block with a k×k kernel: conv1-bn1-ReLU-conv2-bn2, plus the input (or a 1×1 conv-BN
/// "shortcut" when width or stride change), then ReLU; keys conv1, bn1, conv2, bn2, shortcut.0, shortcut.1.
/// </summary>
public static class ResidualUnit
{
    public static ArchNode Describe(string? name, long inChannels, long outChannels, long kernelSize, long stride)
    {
        var body = new SequentialNode(null, [
            new Conv2dOp("conv1", inChannels, outChannels, kernelSize, stride, kernelSize / 2),
            new BatchNorm2dOp("bn1", outChannels),
            new ActivationOp(null, Activation.Relu),
            new Conv2dOp("conv2", outChannels, outChannels, kernelSize, 1, kernelSize / 2),
            new BatchNorm2dOp("bn2", outChannels),
        ]);
        ArchNode shortcut = stride != 1 || inChannels != outChannels
            ? new SequentialNode("shortcut", [new Conv2dOp("0", inChannels, outChannels, 1, stride, 0), new BatchNorm2dOp("1", outChannels)])
            : new IdentityOp(null);
        return new SequentialNode(name, [new ParallelNode(null, MergeKind.Add, [body, shortcut]), new ActivationOp(null, Activation.Relu)]);
    }
}
