using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>
/// The ONNX converters of <see cref="TransferNetwork"/> (its feature extractor's pooled features — or, under a cell
/// head, its last feature map — then the head; the old network's classifier is left out) and of <see cref="CellHead"/>.
/// </summary>
public static class TransferOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .Register<TransferNetwork>(EmitTransfer)
            .Register<CellHead>(EmitCellHead);
    }

    private static string EmitTransfer(OnnxConversionContext context, TransferNetwork network, string input)
    {
        var features = network.HeadSettings.Kind == TransferHeadKind.Cell
            ? context.Within("backbone", c => EmitFeatureMap(c, network.Features.Module, input))
            : context.Within("backbone", c => EmitFeatures(c, network.Features.Module, input));
        return context.EmitChild("head", network.Head, features);
    }

    // As CellHead.Forward: the cell reads the feature map as both of its inputs.
    private static string EmitCellHead(OnnxConversionContext context, CellHead head, string input)
    {
        var g = context.Graph;
        var cell = (Cell)ModuleChildren.Get(head, "cell");
        var map = context.Within("cell", c => CellOnnxConverters.EmitCell(c, cell, input, input));
        var flat = g.AddNode("Flatten", new[] { g.AddNode("GlobalAveragePool", new[] { map }) }, OnnxAttribute.Int("axis", 1));
        g.SetRank(flat, 2);
        var dropped = context.EmitChild("dropout", ModuleChildren.Get(head, "dropout"), flat);
        return context.EmitChild("classifier", ModuleChildren.Get(head, "classifier"), dropped);
    }

    internal static string EmitFeatures(OnnxConversionContext context, Module model, string input) => model switch
    {
        CellNetwork cell => CellOnnxConverters.EmitFeatures(context, cell, input),
        MacroCnnNetwork macro => MacroCnnOnnxConverters.EmitFeatures(context, macro, input),
        Backbone backbone => BackboneOnnxConverters.EmitFeatures(context, backbone, input),
        TransferNetwork transfer => context.Within("backbone", c => EmitFeatures(c, transfer.Features.Module, input)),
        _ => throw new NotSupportedException($"ONNX export: module '{context.ModulePath}' is a {model.GetType().Name}, whose features cannot be exported"),
    };

    private static string EmitFeatureMap(OnnxConversionContext context, Module model, string input) => model switch
    {
        Backbone backbone => BackboneOnnxConverters.EmitFeatureMap(context, backbone, input),
        TransferNetwork transfer => context.Within("backbone", c => EmitFeatureMap(c, transfer.Features.Module, input)),
        _ => throw new NotSupportedException($"ONNX export: module '{context.ModulePath}' is a {model.GetType().Name}, whose feature map cannot be exported"),
    };
}
