using AutoNet.Export.Onnx;
using AutoNet.Models.Architecture;
using AutoNet.Models.Backbones;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// Small models that between them use every leaf and combinator of the architecture vocabulary and every attribute
/// that changes a leaf converter's output: TorchSharp layer stacks (described layer by layer) and descriptions.
/// </summary>
public static class ParityModels
{
    public static IReadOnlyList<ParityCase> All { get; } =
    [
        new("conv_bn_relu_classifier", () => nn.Sequential(
            nn.Conv2d(3, 8, 3, padding: 1, bias: false), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, stride: 2, padding: 1), nn.BatchNorm2d(16, eps: 1e-3), nn.ReLU6(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(16, 5)), OnnxChannelOrder.Rgb, 12),

        new("depthwise_dilated_activations", () => nn.Sequential(
            nn.Conv2d(3, 8, 3, padding: 2, dilation: 2), nn.SiLU(),
            nn.Conv2d(8, 8, 3, padding: 1, groups: 8, bias: false), nn.BatchNorm2d(8, affine: false), nn.ReLU6(),
            nn.Conv2d(8, 12, 1, groups: 4), nn.Sigmoid(),
            nn.Conv2d(12, 12, (3, 1), stride: (2, 1), padding: (1, 0)), nn.ReLU(),
            nn.Conv2d(12, 6, 1), nn.SiLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 4)), OnnxChannelOrder.Bgr, 12),

        new("pooling_with_padding", () => nn.Sequential(
            nn.Conv2d(3, 6, 3, padding: 1),
            nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: true), nn.ReLU(),
            nn.AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false),
            nn.MaxPool2d(3, stride: 2, padding: 1),
            nn.AdaptiveMaxPool2d([1, 1]), nn.Flatten(), nn.Linear(6, 3)), OnnxChannelOrder.Rgb, 12),

        new("nested_identities_and_mlp_head", () => nn.Sequential(
            nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1), nn.Identity(), new DropPath(0.2), nn.Dropout(0.1)),
            nn.Flatten(), nn.Linear(4 * 8 * 8, 16, hasBias: false), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 6)),
            OnnxChannelOrder.Grayscale, 8),

        // Linear on a feature map (MatMul, broadcast over the leading dims), then on the flattened result (Gemm).
        new("linear_on_feature_maps", () => nn.Sequential(
            nn.Conv2d(3, 4, 3, padding: 1), nn.Linear(12, 5), nn.Flatten(), nn.Linear(4 * 12 * 5, 7)),
            OnnxChannelOrder.Rgb, 12),

        new("opset13_clip", () => nn.Sequential(
            nn.Conv2d(3, 4, 3), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2)),
            OnnxChannelOrder.Rgb, 8, Opset: OnnxGraphBuilder.MinimumOpset),

        new("described_branches_gates_and_graph", () => new ArchitectureModule(BranchDescription()), OnnxChannelOrder.Rgb, 8),
    ];

    /// <summary>
    /// A description using what the layer stacks above cannot: parallel branches concatenated, a squeeze-excitation
    /// gate (broadcast Mul), a residual Add, a two-input graph with a merge step, zero (at both strides), crop and drop-path.
    /// </summary>
    public static ArchNode BranchDescription() => new SequentialNode(null, [
        new Conv2dOp("stem", 3, 4, 3, 1, 1, Bias: true),
        new ParallelNode("branches", MergeKind.Concat, [
            new SequentialNode("left", [new Conv2dOp("0", 4, 4, 3, 1, 1, Bias: true), new ActivationOp("1", Activation.Relu)]),
            new Conv2dOp("right", 4, 4, 1, 1, 0, Bias: true),
        ]),
        new ParallelNode(null, MergeKind.Mul, [
            new SequentialNode("gate", [new GlobalPoolOp(null, PoolKind.Avg), new Conv2dOp("fc", 8, 8, 1, 1, 0, Bias: true), new ActivationOp(null, Activation.Sigmoid)]),
            new IdentityOp(null),
        ]),
        new ParallelNode(null, MergeKind.Add, [new Conv2dOp("project", 8, 8, 1, 1, 0), new DropPathOp("drop", 0.3)]),
        new GraphNode("mix", 1, [
            new GraphStep(new SequentialNode(null, [new CropOp(null, 1, 1), new PoolOp(null, PoolKind.Max, 3, 1, 1)]), [0]),
            new GraphStep(new ZeroOp(null, 1), [1]),
            new GraphStep(new SequentialNode(null, [new CropOp(null, 1, 1), new BatchNorm2dOp("bn", 8)]), [0]),
            new GraphStep(new MergeOp(null, MergeKind.Add), [1, 2, 3]),
        ], [4, 1]),
        new ParallelNode(null, MergeKind.Add, [new PoolOp(null, PoolKind.Avg, 3, 2, 1, CountIncludePad: false), new ZeroOp(null, 2)]),
        new FlattenOp(null),
        new DropoutOp("dropout", 0.2),
        new LinearOp("classifier", 16 * 4 * 4, 3),
    ]);
}
