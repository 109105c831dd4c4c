namespace AutoNet.Search.Spaces;

/// <summary>A sample that is not a point of its space; the message lists every problem with its label.</summary>
public sealed class SearchSampleException : Exception
{
    public SearchSampleException()
    {
    }

    public SearchSampleException(string message)
        : base(message)
    {
    }

    public SearchSampleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SearchSampleException(string space, IReadOnlyList<string> problems)
        : base($"the sample is not a point of the space '{space}': {string.Join("; ", problems)}")
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
