namespace AutoNet.Search.Spaces;

/// <summary>
/// A search-space file that cannot be used. The message names the file, the JSON path of the fault
/// (<c>$.hyperparameters.learning_rate.low</c>), the value found and what is allowed there.
/// </summary>
public sealed class SearchSpaceException : Exception
{
    public SearchSpaceException()
    {
    }

    public SearchSpaceException(string message)
        : base(message)
    {
    }

    public SearchSpaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SearchSpaceException(string sourcePath, string jsonPath, string problem, string? value, string? expected, Exception? innerException = null)
        : base(Format(sourcePath, jsonPath, problem, value, expected), innerException)
    {
        SourcePath = sourcePath;
        JsonPath = jsonPath;
        Problem = problem;
        Value = value;
        Expected = expected;
    }

    /// <summary>The file read, or the name given to a string that was parsed.</summary>
    public string SourcePath { get; } = string.Empty;

    /// <summary>Where in the document the fault is, as a JSON path (<c>$</c> is the root).</summary>
    public string JsonPath { get; } = string.Empty;

    public string Problem { get; } = string.Empty;

    /// <summary>The offending JSON text, when there is one (null for a missing field).</summary>
    public string? Value { get; }

    /// <summary>What is allowed at <see cref="JsonPath"/>.</summary>
    public string? Expected { get; }

    private static string Format(string sourcePath, string jsonPath, string problem, string? value, string? expected) =>
        $"{sourcePath}: {jsonPath}: {problem}"
        + (value is null ? string.Empty : $"; got {Shorten(value)}")
        + (expected is null ? string.Empty : $"; expected {expected}");

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
