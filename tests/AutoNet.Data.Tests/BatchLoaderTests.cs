using AutoNet.Data.Augmentation;
using AutoNet.Data.Loading;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

[Collection(LoaderLiveTensorCollection.Name)]
public sealed class BatchLoaderTests : IDisposable
{
    private const int Samples = 50;
    private static readonly double[] Zero = [0.0];
    private static readonly double[] One = [1.0];

    // Sample i is filled with the value i and labelled 1000 + i, so every batch shows which samples it holds.
    private readonly Tensor images;
    private readonly Tensor labels;

    public BatchLoaderTests()
    {
        var pixels = new byte[Samples * 36];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i / 36);
        }

        images = torch.tensor(pixels, [Samples, 1, 6, 6]).DetachFromDisposeScope();
        labels = (torch.arange(Samples) + 1000).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        images.Dispose();
        labels.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_kept_epoch_delivers_every_sample_exactly_once_with_its_own_label(int prefetch)
    {
        var loader = Loader(new LoaderOptions { BatchSize = 8, LastBatch = LastBatchPolicy.Keep, PrefetchBatches = prefetch, Seed = 4 });
        var seen = new List<long>();
        var batches = 0;
        foreach (var batch in loader.Epoch(2))
        {
            using (batch)
            {
                Assert.Equal(2, batch.Epoch);
                Assert.Equal(batches++, batch.Index);
                var pixels = batch.Images.data<float>().ToArray();
                var batchLabels = batch.Labels.data<long>().ToArray();
                for (var i = 0; i < batch.Count; i++)
                {
                    var sample = batch.Indices[i];
                    Assert.Equal(1000 + sample, batchLabels[i]);
                    Assert.All(pixels.Skip(i * 36).Take(36), p => Assert.Equal(sample / 255.0, p, 1e-6));
                }

                seen.AddRange(batch.Indices);
            }
        }

        Assert.Equal(7, batches);
        Assert.Equal(Enumerable.Range(0, Samples).Select(i => (long)i), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, Samples).Select(i => (long)i), seen);
    }

    [Theory]
    [InlineData(LastBatchPolicy.Drop, new[] { 8, 8, 8, 8, 8, 8 })]
    [InlineData(LastBatchPolicy.Keep, new[] { 8, 8, 8, 8, 8, 8, 2 })]
    public void The_last_batch_policy_drops_or_keeps_the_leftover(LastBatchPolicy policy, int[] sizes)
    {
        var loader = Loader(new LoaderOptions { BatchSize = 8, LastBatch = policy });
        Assert.Equal(sizes.Length, loader.BatchesPerEpoch);
        Assert.Equal(sizes, Sizes(loader.Epoch(0)));
        Assert.Equal(new[] { 8, 8, 8, 8, 8, 8, 2 }, Sizes(loader.Evaluation()));
    }

    [Fact]
    public void An_epoch_order_depends_only_on_the_seed_and_the_epoch()
    {
        var options = new LoaderOptions { BatchSize = 10, Seed = 17 };
        var first = Loader(options);
        var resumed = Loader(options);
        foreach (var batch in first.Epoch(0).Concat(first.Epoch(1)))
        {
            batch.Dispose();
        }

        var third = Indices(first.Epoch(2));
        Assert.Equal(third, Indices(resumed.Epoch(2)));
        Assert.NotEqual(third, Indices(resumed.Epoch(1)));
        Assert.NotEqual(third, Indices(Loader(options with { Seed = 18 }).Epoch(2)));
        Assert.Equal(Enumerable.Range(0, Samples).Select(i => (long)i), Indices(Loader(options with { Shuffle = false }).Epoch(5)));
    }

    [Fact]
    public void Augmented_batches_are_the_same_with_or_without_prefetch_and_differ_with_another_seed()
    {
        var augmentation = AugmentationOptions.Strong(horizontalFlip: true) with { MixupAlpha = 0.2 };
        var options = new LoaderOptions { BatchSize = 16, Seed = 3, PrefetchBatches = 0 };
        var plain = Pixels(Loader(options, augmentation).Epoch(1));
        var prefetched = Pixels(Loader(options with { PrefetchBatches = 4 }, augmentation).Epoch(1));
        var other = Pixels(Loader(options with { Seed = 4 }, augmentation).Epoch(1));
        Assert.Equal(plain, prefetched);
        Assert.NotEqual(plain, other);
    }

    [Fact]
    public void Evaluation_visits_the_samples_in_order_and_only_normalises()
    {
        var loader = new BatchLoader(images, labels, new LoaderOptions { BatchSize = 16 }, new BatchAugmenter(AugmentationOptions.Strong(true), [0.1], [0.5]));
        var index = 0L;
        foreach (var batch in loader.Evaluation())
        {
            using (batch)
            {
                Assert.Equal(-1, batch.Epoch);
                Assert.False(batch.IsMixed);
                Assert.Equal(Enumerable.Range((int)index, batch.Count).Select(i => (long)i), batch.Indices);
                using var source = images.narrow(0, index, batch.Count);
                using var expected = BatchAugmentations.Normalize(source, [0.1], [0.5]);
                Assert.True(batch.Images.Equals(expected));
                index += batch.Count;
            }
        }

        Assert.Equal(Samples, index);
    }

    [Fact]
    public void Channels_last_batches_hold_the_same_values_in_NHWC_layout()
    {
        var options = new LoaderOptions { BatchSize = 16, Seed = 1 };
        var augmentation = AugmentationOptions.Standard(horizontalFlip: true);
        using var rgb = torch.cat([images, images, images], 1).DetachFromDisposeScope();
        var three = new BatchAugmenter(augmentation, [0.2, 0.3, 0.4], [0.5, 0.5, 0.5]);
        using var plain = new BatchLoader(rgb, labels, options, three).Epoch(0).First();
        using var channelsLast = new BatchLoader(rgb, labels, options with { ChannelsLast = true }, three).Epoch(0).First();
        Assert.True(ChannelsLast.IsChannelsLast(channelsLast.Images));
        Assert.False(ChannelsLast.IsChannelsLast(plain.Images));
        Assert.True(plain.Images.Equals(channelsLast.Images));
    }

    [Fact]
    public void Breaking_out_of_a_prefetched_epoch_disposes_every_batch_not_taken()
    {
        var loader = Loader(new LoaderOptions { BatchSize = 4, PrefetchBatches = 3 }, AugmentationOptions.Strong(true));
        var before = TorchEngine.CountLiveTensors();
        for (var round = 0; round < 5; round++)
        {
            foreach (var batch in loader.Epoch(round))
            {
                batch.Dispose();
                if (batch.Index == round)
                {
                    Thread.Sleep(20);
                    break;
                }
            }

            Assert.Equal(before, TorchEngine.CountLiveTensors());
        }

        // A whole epoch and an evaluation pass leave nothing behind either.
        foreach (var batch in loader.Epoch(9).Concat(loader.Evaluation()))
        {
            batch.Dispose();
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }

    [Fact]
    public void Cancelling_stops_the_epoch_with_OperationCanceledException_and_leaks_nothing()
    {
        var loader = Loader(new LoaderOptions { BatchSize = 4, PrefetchBatches = 2 });
        var before = TorchEngine.CountLiveTensors();
        using var cancellation = new CancellationTokenSource();
        var taken = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Epoch(0, cancellation.Token))
            {
                batch.Dispose();
                if (++taken == 3)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.Equal(3, taken);
        Assert.Equal(before, TorchEngine.CountLiveTensors());

        Assert.ThrowsAny<OperationCanceledException>(() => loader.Epoch(1, cancellation.Token).First().Dispose());
        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }

    [Fact]
    public void A_failure_on_the_prefetch_thread_reaches_the_caller_and_leaks_nothing()
    {
        // The producer fails on its own thread at its third batch. (Freeing the source tensor under a running producer
        // is not a way to make it fail: with TorchSharp that is a use-after-free in native code, and it crashed the host.)
        var before = TorchEngine.CountLiveTensors();
        var loader = new BatchLoader(images, labels, new LoaderOptions { BatchSize = 4, PrefetchBatches = 1 }, new BatchAugmenter(AugmentationOptions.None, Zero, One));
        Batch Produce(int b) => b == 2
            ? throw new InvalidDataException("batch 2 cannot be read")
            : new Batch(torch.zeros(4, 1, 2, 2), torch.zeros(4, dtype: ScalarType.Int64));
        var taken = 0;
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            using var prefetcher = new BatchPrefetcher(loader.BatchesPerEpoch, capacity: 1, Produce, CancellationToken.None);
            while (prefetcher.TryTake(out var batch, CancellationToken.None))
            {
                batch.Dispose();
                taken++;
            }
        });
        Assert.Equal("batch 2 cannot be read", error.Message);
        Assert.Equal(2, taken);
        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }

    [Fact]
    public void Sources_that_do_not_fit_are_refused_with_the_reason()
    {
        var augmenter = new BatchAugmenter(AugmentationOptions.None, Zero, One);
        using var floats = images.to(ScalarType.Float32);
        Assert.Contains("uint8", Assert.Throws<ArgumentException>(() => new BatchLoader(floats, labels, new LoaderOptions(), augmenter)).Message);
        using var short_ = labels.narrow(0, 0, 10);
        Assert.Contains("one per image", Assert.Throws<ArgumentException>(() => new BatchLoader(images, short_, new LoaderOptions(), augmenter)).Message);
        Assert.Contains("no batch of 64", Assert.Throws<ArgumentException>(() => new BatchLoader(images, labels, new LoaderOptions { BatchSize = 64 }, augmenter)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(images, labels, new LoaderOptions { BatchSize = 0 }, augmenter));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(images, labels, new LoaderOptions { PrefetchBatches = -1 }, augmenter));
    }

    [LoaderCudaFact]
    public void CUDA_batches_come_through_pinned_memory_and_equal_the_CPU_batches()
    {
        var augmentation = AugmentationOptions.Strong(horizontalFlip: true);
        var options = new LoaderOptions { BatchSize = 16, Seed = 5 };
        var cuda = Loader(options with { Device = torch.CUDA, ChannelsLast = true }, augmentation);
        Assert.True(cuda.Options.UsesPinnedMemory);
        var cpuBatches = Pixels(Loader(options, augmentation).Epoch(0));
        var cudaBatches = new List<float[]>();
        foreach (var batch in cuda.Epoch(0))
        {
            using (batch)
            {
                Assert.True(batch.Images.device_type == DeviceType.CUDA);
                Assert.True(batch.Labels.device_type == DeviceType.CUDA);
                using var cpu = batch.Images.cpu();
                using var contiguous = cpu.contiguous();
                cudaBatches.Add(contiguous.data<float>().ToArray());
            }
        }

        Assert.Equal(cpuBatches.Count, cudaBatches.Count);
        for (var b = 0; b < cpuBatches.Count; b++)
        {
            Assert.Equal(cpuBatches[b].Length, cudaBatches[b].Length);
            Assert.True(cpuBatches[b].Zip(cudaBatches[b]).All(p => Math.Abs(p.First - p.Second) < 1e-4), $"batch {b} differs between CPU and CUDA");
        }
    }

    private BatchLoader Loader(LoaderOptions options, AugmentationOptions? augmentation = null) =>
        new(images, labels, options, new BatchAugmenter(augmentation ?? AugmentationOptions.None, Zero, One));

    private static int[] Sizes(IEnumerable<Batch> batches) => batches.Select(b =>
    {
        using (b)
        {
            return b.Count;
        }
    }).ToArray();

    private static long[] Indices(IEnumerable<Batch> batches) => batches.SelectMany(b =>
    {
        using (b)
        {
            return b.Indices.ToArray();
        }
    }).ToArray();

    private static List<float[]> Pixels(IEnumerable<Batch> batches) => batches.Select(b =>
    {
        using (b)
        {
            return b.Images.data<float>().ToArray();
        }
    }).ToList();
}
