using AutoNet.Export.Onnx;
using static TorchSharp.torch;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>A model to export and run in ONNX Runtime: how to build it (seeded), its input and opset.</summary>
public sealed record ParityCase(string Name, Func<nn.Module<Tensor, Tensor>> Build, OnnxChannelOrder ChannelOrder, int Size, int Opset = OnnxGraphBuilder.MaximumOpset)
{
    public int Channels => ChannelOrder == OnnxChannelOrder.Grayscale ? 1 : 3;

    public override string ToString() => Name;
}
