using AutoNet.Export.Onnx;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>Small models that between them use every standard converter, every attribute that changes a converter's output, and a custom one.</summary>
public static class ParityModels
{
    public static IReadOnlyList<ParityCase> All { get; } = new ParityCase[]
    {
        new("conv_bn_relu_classifier", () => new Sequential(
            new Conv2d(3, 8, 3, padding: 1, bias: false), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, stride: 2, padding: 1), new BatchNorm2d(16, eps: 1e-3), new ReLU6(),
            new AdaptiveAvgPool2d(1), new Flatten(), new Dropout(0.3), new Linear(16, 5)), OnnxChannelOrder.Rgb, 12),

        new("depthwise_dilated_activations", () => new Sequential(
            new Conv2d(3, 8, 3, padding: 2, dilation: 2), new SiLU(),
            new Conv2d(8, 8, 3, padding: 1, groups: 8, bias: false), new BatchNorm2d(8, affine: false), new Hardswish(),
            new Conv2d(8, 12, 1, groups: 4), new Hardsigmoid(),
            new Conv2d(12, 12, (3, 1), stride: (2, 1), padding: (1, 0)), new Tanh(), new Sigmoid(),
            new GELU(), new Conv2d(12, 6, 1), new GELU(tanhApproximation: true),
            new AdaptiveAvgPool2d(1), new Flatten(), new Linear(6, 4)), OnnxChannelOrder.Bgr, 12),

        new("pooling_with_padding_and_dilation", () => new Sequential(
            new Conv2d(3, 6, 3, padding: 1),
            new AvgPool2d(3, stride: 2, padding: 1, countIncludePad: true), new ReLU(),
            new AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false),
            new MaxPool2d(3, stride: 2, padding: 1),
            new MaxPool2d(2, stride: 1, dilation: 2),
            new Flatten(), new Linear(6, 3)), OnnxChannelOrder.Rgb, 12),

        new("ceil_mode_pools", () => new Sequential(
            new Conv2d(3, 4, 3), new MaxPool2d(3, stride: 2, ceilMode: true),
            new AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: true),
            new Flatten(), new Linear(36, 3)), OnnxChannelOrder.Rgb, 12),

        // Windows that would start in the right padding are dropped by torch's ceil-mode rule; ONNX Runtime must agree.
        new("ceil_mode_last_window_rule", () => new Sequential(
            new Conv2d(3, 4, 3), new MaxPool2d(3, stride: 2, ceilMode: true),
            new MaxPool2d(2, stride: 2, padding: 1, ceilMode: true),
            new AvgPool2d(2, stride: 2, padding: 1, ceilMode: true, countIncludePad: true),
            new Flatten(), new Linear(16, 3)), OnnxChannelOrder.Rgb, 12),

        new("nested_identities_and_mlp_head", () => new Sequential(
            new Sequential(new Conv2d(1, 4, 3, padding: 1), new Identity(), new DropPath(0.2), new Dropout2d(0.1)),
            new Flatten(), new Linear(4 * 8 * 8, 16, bias: false), new ReLU(), new Dropout(0.5), new Linear(16, 6)),
            OnnxChannelOrder.Grayscale, 8),

        new("linear_on_feature_maps", () => new Sequential(
            new Conv2d(3, 4, 3, padding: 1), new Linear(12, 5), new Flatten(2), new Linear(60, 3), new Flatten(), new Linear(12, 7)),
            OnnxChannelOrder.Rgb, 12),

        new("opset13_hardswish", () => new Sequential(
            new Conv2d(3, 4, 3), new Hardswish(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2)),
            OnnxChannelOrder.Rgb, 8, Opset: OnnxGraphBuilder.MinimumOpset),

        new("custom_branch_block", () => new Sequential(
            new Conv2d(3, 4, 3, padding: 1), new BranchBlock(4), new BatchNorm2d(4), new ReLU(),
            new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 3)),
            OnnxChannelOrder.Rgb, 8, Extend: r => r.Register<BranchBlock>(BranchBlock.Emit)),
    };
}
