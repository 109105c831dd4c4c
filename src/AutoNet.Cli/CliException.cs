namespace AutoNet.Cli;

/// <summary>A mistake in what the user asked for; the command prints its message and exits with status 1.</summary>
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
