namespace AutoNet.Data;

/// <summary>A data set that cannot be used; the message names the folder or file and what was expected.</summary>
public sealed class DataSetException : Exception
{
    public DataSetException()
    {
    }

    public DataSetException(string message)
        : base(message)
    {
    }

    public DataSetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DataSetException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SourcePath = path;
    }

    /// <summary>The folder or file at fault.</summary>
    public string SourcePath { get; } = string.Empty;
}
