namespace AutoNet.Torch.Weights;

/// <summary>
/// A weights or state file that cannot be used: damaged, of another format, or holding tensors that do not fit the
/// network it is loaded into. The message names the file, then the key or field at fault (when there is one).
/// </summary>
public class WeightsFileException : Exception
{
    public WeightsFileException(string filePath, string? field, string problem)
        : base(Describe(filePath, field, problem))
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    public WeightsFileException(string filePath, string? field, string problem, Exception inner)
        : base(Describe(filePath, field, problem), inner)
    {
        FilePath = filePath;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    /// <summary>The tensor name or header field (e.g. <c>"w.data_offsets"</c>), or null for the file as a whole.</summary>
    public string? Field { get; }

    public string Problem { get; }

    private static string Describe(string filePath, string? field, string problem) =>
        field is null ? $"{filePath}: {problem}" : $"{filePath}: {field}: {problem}";
}
