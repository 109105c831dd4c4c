using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx;

/// <summary>Adapts a typed function to <see cref="IOnnxModuleConverter"/>.</summary>
internal sealed class DelegateOnnxConverter<TModule>(Func<OnnxConversionContext, TModule, string, string> emit) : IOnnxModuleConverter
    where TModule : Module
{
    public string Emit(OnnxConversionContext context, Module module, string input) => emit(context, (TModule)module, input);
}
