using AutoNet.Export.Onnx;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>A model to export and run in ONNX Runtime: how to build it (seeded), its input, opset and any extra converters.</summary>
public sealed record ParityCase(string Name, Func<Module> Build, OnnxChannelOrder ChannelOrder, int Size, int Opset = OnnxGraphBuilder.MaximumOpset,
    Action<OnnxConverterRegistry>? Extend = null)
{
    public int Channels => ChannelOrder == OnnxChannelOrder.Grayscale ? 1 : 3;

    public override string ToString() => Name;
}
