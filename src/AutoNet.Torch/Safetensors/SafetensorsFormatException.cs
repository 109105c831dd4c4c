using AutoNet.Torch.Weights;

namespace AutoNet.Torch.Safetensors;

/// <summary>A safetensors file that is malformed or inconsistent; names the file and the tensor or field at fault.</summary>
public sealed class SafetensorsFormatException : WeightsFileException
{
    public SafetensorsFormatException(string filePath, string? field, string problem)
        : base(filePath, field, problem)
    {
    }

    public SafetensorsFormatException(string filePath, string? field, string problem, Exception inner)
        : base(filePath, field, problem, inner)
    {
    }
}
