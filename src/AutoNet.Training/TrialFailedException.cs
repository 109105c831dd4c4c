namespace AutoNet.Training;

/// <summary>A trial that cannot go on, with the kind of failure and a reason a person can read.</summary>
public sealed class TrialFailedException : Exception
{
    public TrialFailedException(TrialFailureKind kind, string reason, Exception? inner = null)
        : base(reason, inner)
    {
        Kind = kind;
    }

    public TrialFailureKind Kind { get; }

    /// <summary>Whether running the same trial again might succeed.</summary>
    public bool IsTransient => Kind == TrialFailureKind.OutOfMemory;
}
