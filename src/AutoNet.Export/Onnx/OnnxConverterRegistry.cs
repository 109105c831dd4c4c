using AutoNet.Export.Onnx.Converters;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx;

/// <summary>
/// Module type → converter. A module's exact type is looked up first, then its base types, so a converter for an
/// abstract base covers its subclasses unless one of them has its own. Later layers (DARTS cells, backbone blocks)
/// register their converters on a registry made by <see cref="CreateDefault"/>.
/// </summary>
public sealed class OnnxConverterRegistry
{
    private readonly Dictionary<Type, IOnnxModuleConverter> converters = new();

    /// <summary>
    /// A registry with AutoNet.Torch's standard layers (see <see cref="StandardOnnxConverters"/>) and AutoNet.Models'
    /// networks: cell ops and cell networks, macro-cnns, backbones, and transfer networks built on any of them.
    /// </summary>
    public static OnnxConverterRegistry CreateDefault()
    {
        var registry = new OnnxConverterRegistry();
        StandardOnnxConverters.RegisterAll(registry);
        CellOnnxConverters.RegisterAll(registry);
        MacroCnnOnnxConverters.RegisterAll(registry);
        BackboneOnnxConverters.RegisterAll(registry);
        TransferOnnxConverters.RegisterAll(registry);
        return registry;
    }

    public IEnumerable<Type> ModuleTypes => converters.Keys;

    /// <summary>Registers (or replaces) the converter for <typeparamref name="TModule"/>.</summary>
    public OnnxConverterRegistry Register<TModule>(IOnnxModuleConverter converter)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(converter);
        converters[typeof(TModule)] = converter;
        return this;
    }

    /// <summary>Registers a converter written as a function of the typed module.</summary>
    public OnnxConverterRegistry Register<TModule>(Func<OnnxConversionContext, TModule, string, string> emit)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(emit);
        return Register<TModule>(new DelegateOnnxConverter<TModule>(emit));
    }

    public bool TryGet(Type moduleType, out IOnnxModuleConverter converter)
    {
        ArgumentNullException.ThrowIfNull(moduleType);
        for (var type = moduleType; type is not null && type != typeof(object); type = type.BaseType)
        {
            if (converters.TryGetValue(type, out var found))
            {
                converter = found;
                return true;
            }
        }

        converter = null!;
        return false;
    }

    /// <summary>Emits <paramref name="module"/> at <paramref name="modulePath"/>; an unregistered type is an error naming both.</summary>
    public string Emit(OnnxGraphBuilder graph, Module module, string modulePath, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        var type = module.GetType();
        if (!TryGet(type, out var converter))
        {
            var where = modulePath.Length == 0 ? "the model itself" : $"module '{modulePath}'";
            throw new NotSupportedException(
                $"ONNX export: {where} is a {type.FullName}, which has no ONNX converter; register one with OnnxConverterRegistry.Register<{type.Name}>(...)");
        }

        using (graph.BeginScope(modulePath.Length == 0 ? type.Name : modulePath))
        {
            return converter.Emit(new OnnxConversionContext(graph, this, modulePath), module, input);
        }
    }
}
