namespace AutoNet.Training;

/// <summary>
/// A trial checkpoint that cannot be read back: a file truncated, overwritten or of another format, or weights that
/// do not fit the trial's network. The message names the file and what is wrong; the checkpoint is left as it was.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException()
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CheckpointException(string filePath, string problem, Exception? innerException = null)
        : base($"checkpoint file '{filePath}' {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The checkpoint file at fault (empty when the message names it otherwise).</summary>
    public string FilePath { get; } = string.Empty;
}
