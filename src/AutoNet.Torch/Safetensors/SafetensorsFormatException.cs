namespace AutoNet.Torch.Safetensors;

/// <summary>A safetensors file that is malformed or inconsistent; names the file and the tensor or field at fault.</summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string filePath, string? field, string problem)
        : base(field is null ? $"{filePath}: {problem}" : $"{filePath}: {field}: {problem}")
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    public SafetensorsFormatException(string filePath, string? field, string problem, Exception inner)
        : base(field is null ? $"{filePath}: {problem}" : $"{filePath}: {field}: {problem}", inner)
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    /// <summary>The tensor name or header field (e.g. <c>"w.data_offsets"</c>), or null for the file as a whole.</summary>
    public string? Field { get; }

    public string Problem { get; }
}
