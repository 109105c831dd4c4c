using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Loading;

/// <summary>How a <see cref="BatchLoader"/> cuts, orders, prefetches and places batches.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 128;

    /// <summary>Seeds the epoch orders and every batch's augmentation: epoch e's batches depend only on (Seed, e).</summary>
    public long Seed { get; init; }

    /// <summary>Shuffle training epochs (evaluation passes are always in source order).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Leftover samples of a training epoch; evaluation passes always keep them.</summary>
    public LastBatchPolicy LastBatch { get; init; } = LastBatchPolicy.Drop;

    /// <summary>Batches prepared ahead on a background thread; 0 prepares each batch on the caller's thread.</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Where batches are delivered (and augmented).</summary>
    public Device Device { get; init; } = torch.CPU;

    /// <summary>Copy through page-locked memory (asynchronous host-to-device copies); null = when <see cref="Device"/> is CUDA.</summary>
    public bool? PinMemory { get; init; }

    /// <summary>Deliver images in channels-last (NHWC) memory layout, which convolutions on tensor cores prefer.</summary>
    public bool ChannelsLast { get; init; }

    internal bool UsesPinnedMemory => PinMemory ?? Device.type == DeviceType.CUDA;

    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "loader batch size must be at least 1");
        }

        if (PrefetchBatches < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches, "loader prefetch depth must be 0 (none) or more");
        }

        ArgumentNullException.ThrowIfNull(Device);
        if (!Enum.IsDefined(LastBatch))
        {
            throw new ArgumentOutOfRangeException(nameof(LastBatch), LastBatch, "unknown last-batch policy");
        }
    }
}
