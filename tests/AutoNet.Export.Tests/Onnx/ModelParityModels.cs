using AutoNet.Export.Onnx;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// AutoNet.Models' networks, tiny: cell networks over published genotypes (DARTS, NASNet-A with an explicit concat)
/// and one that uses every op of <see cref="OpNames"/> at stride 1 and 2, macro-cnns covering each downsampling and
/// global pooling, every backbone with its classifier head, and transfer networks with a linear, an MLP and a cell head.
/// </summary>
public static class ModelParityModels
{
    /// <summary>15 ops over 8 blocks: in the reduction cell every edge reads a cell input, so every op also runs with stride 2.</summary>
    public static Genotype EveryOp { get; } = new(
        PublishedGenotypes.Cell(Pairs(OpNames.All.Append(OpNames.SkipConnect).ToArray(), reduction: false)),
        PublishedGenotypes.Cell(Pairs(OpNames.All.Append(OpNames.SepConv3x3).ToArray(), reduction: true)));

    public static IReadOnlyList<ParityCase> All { get; } = new ParityCase[]
    {
        new("cell_network_darts_v2", () => new CellNetwork(PublishedGenotypes.DartsV2,
            new CellNetworkSettings(InitialChannels: 4, CellsPerStage: 1, Stages: 3, NumClasses: 5, Dropout: 0.3, DropPath: 0.2)), OnnxChannelOrder.Rgb, 16),

        new("cell_network_nasnet_grayscale", () => new CellNetwork(PublishedGenotypes.NasNetA,
            new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, InputChannels: 1, NumClasses: 3, StemMultiplier: 2)),
            OnnxChannelOrder.Grayscale, 8),

        new("cell_network_every_op", () => new CellNetwork(EveryOp,
            new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, NumClasses: 4, StemMultiplier: 1)), OnnxChannelOrder.Rgb, 8,
            Opset: OnnxGraphBuilder.MinimumOpset),

        new("macro_plain_maxpool_average", () => new MacroCnnNetwork(new MacroCnnConfig(3, 5,
            [new MacroCnnStage(4, 2), new MacroCnnStage(6, 1, KernelSize: 5), new MacroCnnStage(8, 1, KernelSize: 1)],
            MacroCnnDownsampling.MaxPool, GlobalPooling.Average, Dropout: 0.2)), OnnxChannelOrder.Rgb, 12),

        new("macro_residual_strided_max", () => new MacroCnnNetwork(new MacroCnnConfig(1, 3,
            [new MacroCnnStage(4, 2, Residual: true), new MacroCnnStage(8, 2, KernelSize: 5, Residual: true)],
            MacroCnnDownsampling.StridedConv, GlobalPooling.Max)), OnnxChannelOrder.Grayscale, 10),

        new("macro_mixed_avgpool", () => new MacroCnnNetwork(new MacroCnnConfig(3, 4,
            [new MacroCnnStage(4, 1), new MacroCnnStage(4, 1, Residual: true), new MacroCnnStage(6, 1, Residual: true)],
            MacroCnnDownsampling.AvgPool, GlobalPooling.Average)), OnnxChannelOrder.Bgr, 12),

        Backbone("resnet18"),
        Backbone("resnet34"),
        Backbone("resnet50"),
        Backbone("mobilenet_v2"),
        Backbone("efficientnet_b0"),

        new("transfer_on_cell_network", () => Transfer(new CellNetwork(PublishedGenotypes.DartsV1,
            new CellNetworkSettings(InitialChannels: 2, CellsPerStage: 1, Stages: 2, NumClasses: 7)), TransferHead.Linear(0.5), 3, 0.5),
            OnnxChannelOrder.Rgb, 8),

        new("transfer_mlp_on_macro", () => Transfer(new MacroCnnNetwork(new MacroCnnConfig(1, 5,
            [new MacroCnnStage(4, 1), new MacroCnnStage(6, 1, Residual: true)], Dropout: 0.2)), TransferHead.Mlp(6, 0.3), 4, 0.0),
            OnnxChannelOrder.Grayscale, 10),

        new("transfer_cell_head_on_resnet18", () => Transfer(BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 0 }),
            TransferHead.SearchedCell(PublishedGenotypes.DartsV2.Normal, channels: 3, dropout: 0.1), 2, 1.0), OnnxChannelOrder.Rgb, 64),
    };

    private static TransferNetwork Transfer(nn.Module<Tensor, Tensor> features, TransferHead head, long classes, double freezeFraction) =>
        new(FeatureExtractor.From(features), head, classes, freezeFraction);

    private static ParityCase Backbone(string name) =>
        new("backbone_" + name, () => BackboneFactory.Create(name, new BackboneOptions { NumClasses = 4 }), OnnxChannelOrder.Rgb, 32);

    private static List<(string Op, int Input)> Pairs(string[] ops, bool reduction)
    {
        var list = new List<(string, int)>();
        for (var i = 0; i < ops.Length; i++)
        {
            // Block k reads states 0..k+1; a normal cell spreads its inputs over them, a reduction cell reads only its inputs.
            var block = i / 2;
            list.Add((ops[i], reduction ? i % 2 : (i + block) % (block + 2)));
        }

        return list;
    }
}
