using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>The ONNX converter of <see cref="TransferNetwork"/>: the base network's features (not its classifier), then the new head.</summary>
public static class TransferOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register<TransferNetwork>(EmitTransfer);
    }

    private static string EmitTransfer(OnnxConversionContext context, TransferNetwork network, string input)
    {
        var features = context.Within("base", c => EmitFeatures(c, network.Base, input));
        var dropped = context.EmitChild("dropout", ModuleChildren.Get(network, "dropout"), features);
        return context.EmitChild("head", network.Head, dropped);
    }

    internal static string EmitFeatures(OnnxConversionContext context, Module model, string input) => model switch
    {
        CellNetwork cell => CellOnnxConverters.EmitFeatures(context, cell, input),
        MacroCnnNetwork macro => MacroCnnOnnxConverters.EmitFeatures(context, macro, input),
        Backbone backbone => BackboneOnnxConverters.EmitFeatures(context, backbone, input),
        TransferNetwork transfer => context.Within("base", c => EmitFeatures(c, transfer.Base, input)),
        _ => throw new NotSupportedException($"ONNX export: module '{context.ModulePath}' is a {model.GetType().Name}, whose features cannot be exported"),
    };
}
