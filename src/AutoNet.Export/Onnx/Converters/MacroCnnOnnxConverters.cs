using AutoNet.Models.MacroCnn;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>ONNX converters for the macro-cnn space: plain and residual units, global max pooling and whole <see cref="MacroCnnNetwork"/>s.</summary>
public static class MacroCnnOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .Register<PlainUnit>(EmitPlainUnit)
            .Register<ResidualUnit>(EmitResidualUnit)
            .Register<GlobalMaxPool>((c, _, x) => c.Graph.AddNode("GlobalMaxPool", new[] { x }))
            .Register<MacroCnnNetwork>(EmitNetwork);
    }

    /// <summary>The pooled features [N, FeatureCount] of <paramref name="network"/>: everything before dropout and the classifier.</summary>
    internal static string EmitFeatures(OnnxConversionContext context, MacroCnnNetwork network, string input)
    {
        var g = context.Graph;
        var x = input;
        foreach (var (index, stage) in ModuleChildren.Get(network, "stages").NamedChildren())
        {
            x = context.EmitChild("stages." + index, stage, x);
        }

        var pooled = context.EmitChild("global_pooling", ModuleChildren.Get(network, "global_pooling"), x);
        var flat = g.AddNode("Flatten", new[] { pooled }, OnnxAttribute.Int("axis", 1));
        g.SetRank(flat, 2);
        return flat;
    }

    private static string EmitNetwork(OnnxConversionContext context, MacroCnnNetwork network, string input)
    {
        var features = EmitFeatures(context, network, input);
        var dropped = context.EmitChild("dropout", ModuleChildren.Get(network, "dropout"), features);
        return context.EmitChild("classifier", ModuleChildren.Get(network, "classifier"), dropped);
    }

    private static string EmitPlainUnit(OnnxConversionContext context, PlainUnit unit, string input)
    {
        var x = context.EmitChild("conv", ModuleChildren.Get(unit, "conv"), input);
        x = context.EmitChild("bn", ModuleChildren.Get(unit, "bn"), x);
        return context.Graph.Relu(x);
    }

    private static string EmitResidualUnit(OnnxConversionContext context, ResidualUnit unit, string input)
    {
        var g = context.Graph;
        var x = context.EmitChild("conv1", ModuleChildren.Get(unit, "conv1"), input);
        x = g.Relu(context.EmitChild("bn1", ModuleChildren.Get(unit, "bn1"), x));
        x = context.EmitChild("conv2", ModuleChildren.Get(unit, "conv2"), x);
        x = context.EmitChild("bn2", ModuleChildren.Get(unit, "bn2"), x);
        var shortcut = ModuleChildren.Find(unit, "shortcut");
        var skip = shortcut is null ? input : context.EmitChild("shortcut", shortcut, input);
        return g.Relu(g.Add(x, skip));
    }
}
