using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx;

/// <summary>
/// Emits the ONNX nodes that compute one module type's eval-mode forward. Registered per module type in an
/// <see cref="OnnxConverterRegistry"/>; containers recurse into their children through
/// <see cref="OnnxConversionContext.EmitChild"/>, which keeps module paths (for names and errors) right.
/// </summary>
public interface IOnnxModuleConverter
{
    /// <summary>Adds nodes reading the value <paramref name="input"/> and returns the name of the value the module outputs.</summary>
    string Emit(OnnxConversionContext context, Module module, string input);
}
