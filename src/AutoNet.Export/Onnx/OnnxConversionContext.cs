using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx;

/// <summary>
/// What a converter sees while it emits one module: the graph being built, the module's path in the model
/// (state_dict style, "" for the root), and a way to emit a child module through the registry.
/// </summary>
public sealed class OnnxConversionContext
{
    private readonly OnnxConverterRegistry registry;

    internal OnnxConversionContext(OnnxGraphBuilder graph, OnnxConverterRegistry registry, string modulePath)
    {
        Graph = graph;
        this.registry = registry;
        ModulePath = modulePath;
    }

    public OnnxGraphBuilder Graph { get; }

    /// <summary>The module's path, e.g. "features.3.conv"; "" for the exported model itself.</summary>
    public string ModulePath { get; }

    /// <summary>A name for something this module owns, e.g. <c>ParameterName("weight")</c> → "features.3.conv.weight".</summary>
    public string ParameterName(string name) => ModulePath.Length == 0 ? name : ModulePath + "." + name;

    /// <summary>Emits <paramref name="child"/> (registered under <paramref name="name"/> in this module) reading <paramref name="input"/>.</summary>
    public string EmitChild(string name, Module child, string input)
    {
        ArgumentNullException.ThrowIfNull(child);
        return registry.Emit(Graph, child, ModulePath.Length == 0 ? name : ModulePath + "." + name, input);
    }
}
