using static TorchSharp.torch;

namespace AutoNet.Torch.Safetensors;

/// <summary>One validated header entry: offsets are relative to the start of the data buffer.</summary>
public sealed record SafetensorsTensorInfo(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}
