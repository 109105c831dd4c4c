namespace AutoNet.Data.Loading;

/// <summary>What a training epoch does with the samples left over when the count is not a multiple of the batch size.</summary>
public enum LastBatchPolicy
{
    /// <summary>Leave them out of this epoch (a shuffled order puts other samples last next time). A tiny last batch
    /// would give batch norm a noisy (or, at one sample, impossible) batch statistic.</summary>
    Drop = 0,

    /// <summary>Deliver them as a smaller last batch.</summary>
    Keep = 1,
}
