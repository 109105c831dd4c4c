using AutoNet.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Loading;

/// <summary>
/// Mini-batches over a split held as a uint8 image tensor [N, C, H, W] (CPU, e.g. the memory-mapped decoded cache)
/// and int64 labels [N]. A training epoch is shuffled by (seed, epoch) alone, so a resumed trial sees the same
/// order, and each batch is augmented with a seed derived from (seed, epoch, batch), so prefetching and threads
/// change nothing. Batches are gathered on the CPU, pinned when the target is CUDA, moved to the device, then
/// augmented and normalised there, optionally in channels-last layout. A background thread keeps
/// <see cref="LoaderOptions.PrefetchBatches"/> batches ready. Every delivered <see cref="Batch"/> belongs to the
/// caller, who disposes it; batches prepared but not taken are disposed when the enumeration ends or is cancelled.
/// The loader does not own the source tensors, which must outlive it.
/// </summary>
public sealed class BatchLoader
{
    private const long OrderStream = 101;
    private const long AugmentStream = 102;

    private readonly Tensor images;
    private readonly Tensor labels;

    public BatchLoader(Tensor images, Tensor labels, LoaderOptions options, BatchAugmenter augmenter)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(augmenter);
        options.Validate();
        var shape = images.shape;
        if (shape.Length != 4 || images.dtype != ScalarType.Byte || images.device_type != DeviceType.CPU)
        {
            throw new ArgumentException($"loader images must be a uint8 CPU tensor [N, C, H, W], got {Describe(images)}", nameof(images));
        }

        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.device_type != DeviceType.CPU || labels.shape[0] != shape[0])
        {
            throw new ArgumentException($"loader labels must be an int64 CPU tensor [{shape[0]}] (one per image), got {Describe(labels)}", nameof(labels));
        }

        if (shape[1] != augmenter.Mean.Count)
        {
            throw new ArgumentException($"images have {shape[1]} channels but the augmenter normalises {augmenter.Mean.Count}", nameof(augmenter));
        }

        if (shape[0] > int.MaxValue)
        {
            throw new ArgumentException($"loader images hold {shape[0]} samples, more than {int.MaxValue}", nameof(images));
        }

        this.images = images;
        this.labels = labels;
        Options = options;
        Augmenter = augmenter;
        Count = (int)shape[0];
        if (Count == 0)
        {
            throw new ArgumentException("loader images hold no samples", nameof(images));
        }

        if (BatchesPerEpoch == 0)
        {
            throw new ArgumentException($"{Count} samples make no batch of {options.BatchSize} when the last batch is dropped; lower the batch size or keep the last batch", nameof(options));
        }
    }

    public LoaderOptions Options { get; }

    public BatchAugmenter Augmenter { get; }

    /// <summary>Samples in the source.</summary>
    public int Count { get; }

    /// <summary>Batches in one training epoch, after the last-batch policy.</summary>
    public int BatchesPerEpoch => Options.LastBatch == LastBatchPolicy.Drop ? Count / Options.BatchSize : EvaluationBatches;

    /// <summary>Batches in one evaluation pass (every sample, the last batch possibly smaller).</summary>
    public int EvaluationBatches => (Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the samples (all of them; dropping happens per batch).</summary>
    public int[] EpochOrder(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (!Options.Shuffle)
        {
            return Enumerable.Range(0, Count).ToArray();
        }

        return AugmentRandom.For(Options.Seed, OrderStream, epoch).Permutation(Count);
    }

    /// <summary>The augmentation seed of batch <paramref name="batch"/> of epoch <paramref name="epoch"/>.</summary>
    public ulong BatchSeed(int epoch, int batch) => AugmentRandom.Derive(Options.Seed, AugmentStream, epoch, batch);

    /// <summary>Epoch <paramref name="epoch"/>'s training batches: shuffled, augmented, prefetched.</summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        var order = EpochOrder(epoch);
        return Iterate(order, BatchesPerEpoch, epoch, train: true, cancellationToken);
    }

    /// <summary>One pass over every sample in source order, normalised but not augmented, for evaluation.</summary>
    public IEnumerable<Batch> Evaluation(CancellationToken cancellationToken = default) =>
        Iterate(Enumerable.Range(0, Count).ToArray(), EvaluationBatches, -1, train: false, cancellationToken);

    private IEnumerable<Batch> Iterate(int[] order, int batches, int epoch, bool train, CancellationToken cancellationToken)
    {
        Batch Produce(int b)
        {
            var start = b * Options.BatchSize;
            var length = Math.Min(Options.BatchSize, order.Length - start);
            var indices = new long[length];
            for (var i = 0; i < length; i++)
            {
                indices[i] = order[start + i];
            }

            return MakeBatch(indices, epoch, b, train);
        }

        if (Options.PrefetchBatches == 0)
        {
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Produce(b);
            }

            yield break;
        }

        using var prefetcher = new BatchPrefetcher(batches, Options.PrefetchBatches, Produce, cancellationToken);
        while (prefetcher.TryTake(out var batch, cancellationToken))
        {
            yield return batch;
        }
    }

    private Batch MakeBatch(long[] indices, int epoch, int index, bool train)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var device = Options.Device;
        var where = torch.tensor(indices);
        var x = images.index_select(0, where);
        var y = labels.index_select(0, where);
        if (device.type != DeviceType.CPU)
        {
            var pinned = Options.UsesPinnedMemory;
            if (pinned)
            {
                x = x.pin_memory();
                y = y.pin_memory();
            }

            x = x.to(device, non_blocking: pinned);
            y = y.to(device, non_blocking: pinned);
        }

        var format = Options.ChannelsLast ? memory_format.channels_last : memory_format.contiguous_format;
        if (train)
        {
            var (augmented, mixed, lambda) = Augmenter.AugmentTensors(x, y, BatchSeed(epoch, index), format);
            return new Batch(augmented, y, mixed, lambda) { Indices = indices, Epoch = epoch, Index = index };
        }

        return new Batch(Augmenter.NormalizeTensor(x, y, format), y) { Indices = indices, Epoch = epoch, Index = index };
    }

    private static string Describe(Tensor tensor) => $"{tensor.dtype} [{string.Join(", ", tensor.shape)}] on {tensor.device}";
}
