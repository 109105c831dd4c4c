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

    /// <summary>
    /// Runs <paramref name="emit"/> as the child <paramref name="name"/> of this module: its nodes are named under the
    /// child's path and its context's <see cref="ModulePath"/> is the child's. For parts a registry cannot emit from
    /// one input, e.g. a cell reading the two previous cells' outputs.
    /// </summary>
    public T Within<T>(string name, Func<OnnxConversionContext, T> emit)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(emit);
        var path = ModulePath.Length == 0 ? name : ModulePath + "." + name;
        using (Graph.BeginScope(path))
        {
            return emit(new OnnxConversionContext(Graph, registry, path));
        }
    }

    /// <summary>Emits <paramref name="module"/> through the registry as if it were registered at this module's path.</summary>
    public string Emit(Module module, string input) => registry.Emit(Graph, module, ModulePath, input);
}
