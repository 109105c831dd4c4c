using AutoNet.Training;

namespace AutoNet.Scheduling;

/// <summary>
/// Which failed runs are worth another try. A genuine training failure (non-finite or diverging loss, a network that
/// cannot be built) fails the trial at once: running it again gives the same result. Out of memory is retried once,
/// at half the batch size. Anything else (a database hiccup, an I/O error, a lost device) is transient: retried up to
/// <see cref="MaxTransientRetries"/> times, waiting <see cref="InitialBackoff"/> · <see cref="BackoffFactor"/>ⁿ
/// (at most <see cref="MaxBackoff"/>) between tries.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxTransientRetries { get; init; } = 3;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(5);

    public double BackoffFactor { get; init; } = 2;

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Decides about a run that threw <paramref name="error"/>, given how many retries of each kind it has had.</summary>
    /// <param name="transientRetries">Transient retries already made for this trial.</param>
    /// <param name="halvedForMemory">Whether the batch size was already halved after an out-of-memory failure.</param>
    public RetryDecision Decide(Exception error, int transientRetries, bool halvedForMemory)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is TrialFailedException failure)
        {
            if (failure.Kind != TrialFailureKind.OutOfMemory)
            {
                return RetryDecision.Fail($"{Describe(failure.Kind)}: {failure.Message}");
            }

            return halvedForMemory
                ? RetryDecision.Fail($"out of memory again at half the batch size: {failure.Message}")
                : RetryDecision.Retry(TimeSpan.Zero, halveBatch: true);
        }

        if (transientRetries >= MaxTransientRetries)
        {
            return RetryDecision.Fail($"{error.GetType().Name} after {transientRetries} retries: {error.Message}");
        }

        return RetryDecision.Retry(Backoff(transientRetries), halveBatch: false);
    }

    /// <summary>The wait before transient retry number <paramref name="retriesSoFar"/> + 1.</summary>
    public TimeSpan Backoff(int retriesSoFar)
    {
        var seconds = InitialBackoff.TotalSeconds * Math.Pow(BackoffFactor, retriesSoFar);
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoff.TotalSeconds));
    }

    private static string Describe(TrialFailureKind kind) => kind switch
    {
        TrialFailureKind.NonFiniteLoss => "the loss became NaN or infinite",
        TrialFailureKind.Diverged => "training diverged",
        TrialFailureKind.InvalidConfiguration => "invalid configuration",
        _ => kind.ToString(),
    };
}
