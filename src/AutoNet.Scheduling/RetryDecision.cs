namespace AutoNet.Scheduling;

/// <summary>What <see cref="RetryPolicy.Decide"/> concluded: run again (after a delay, perhaps at half the batch size) or fail for good.</summary>
public sealed record RetryDecision
{
    private RetryDecision(bool shouldRetry, TimeSpan delay, bool halveBatch, string? failureReason)
    {
        ShouldRetry = shouldRetry;
        Delay = delay;
        HalveBatch = halveBatch;
        FailureReason = failureReason;
    }

    public bool ShouldRetry { get; }

    public TimeSpan Delay { get; }

    /// <summary>True for the single out-of-memory retry at half the batch size (it does not count as a transient retry).</summary>
    public bool HalveBatch { get; }

    /// <summary>Why the trial fails, when it is not retried.</summary>
    public string? FailureReason { get; }

    public static RetryDecision Retry(TimeSpan delay, bool halveBatch) => new(true, delay, halveBatch, null);

    public static RetryDecision Fail(string reason) => new(false, TimeSpan.Zero, false, reason);
}
