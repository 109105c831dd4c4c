using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new()
    {
        MaxTransientRetries = 3,
        InitialBackoff = TimeSpan.FromSeconds(2),
        BackoffFactor = 3,
        MaxBackoff = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(TrialFailureKind.NonFiniteLoss)]
    [InlineData(TrialFailureKind.Diverged)]
    [InlineData(TrialFailureKind.InvalidConfiguration)]
    public void A_genuine_training_failure_is_never_retried(TrialFailureKind kind)
    {
        var decision = Policy.Decide(new TrialFailedException(kind, "boom"), transientRetries: 0, halvedForMemory: false);

        Assert.False(decision.ShouldRetry);
        Assert.Contains("boom", decision.FailureReason);
    }

    [Fact]
    public void Out_of_memory_is_retried_once_at_half_the_batch_size()
    {
        var oom = new TrialFailedException(TrialFailureKind.OutOfMemory, "CUDA out of memory");

        var first = Policy.Decide(oom, transientRetries: 0, halvedForMemory: false);
        var second = Policy.Decide(oom, transientRetries: 0, halvedForMemory: true);

        Assert.True(first.ShouldRetry);
        Assert.True(first.HalveBatch);
        Assert.Equal(TimeSpan.Zero, first.Delay);
        Assert.False(second.ShouldRetry);
        Assert.Contains("half the batch size", second.FailureReason);
    }

    [Fact]
    public void Transient_failures_are_retried_with_growing_capped_backoff_until_the_limit()
    {
        var error = new IOException("disk hiccup");

        var delays = Enumerable.Range(0, 3).Select(n => Policy.Decide(error, n, halvedForMemory: false)).ToArray();
        var last = Policy.Decide(error, transientRetries: 3, halvedForMemory: false);

        Assert.All(delays, d => Assert.True(d.ShouldRetry && !d.HalveBatch));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10)], delays.Select(d => d.Delay));
        Assert.False(last.ShouldRetry);
        Assert.Contains("after 3 retries", last.FailureReason);
    }
}
