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

    /// <summary>
    /// Runs a lower layer's check of what the user gave as <paramref name="option"/>: its <see cref="ArgumentException"/>
    /// is the user's mistake here (elsewhere it is a bug), so it becomes a <see cref="CliException"/> naming the option.
    /// </summary>
    public static T Checking<T>(string option, Func<T> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            return check();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{option}: {e.Message}", e);
        }
    }
}
