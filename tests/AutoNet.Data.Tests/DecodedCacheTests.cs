using AutoNet.Data.Cache;
using AutoNet.Data.Decoding;
using AutoNet.Data.Drawing;
using AutoNet.Data.Inspection;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

public sealed class DecodedCacheTests : IDisposable
{
    private static readonly DecodedCacheSettings Small = new(16, 16) { Threads = 2 };

    private readonly TempTree data = new();
    private readonly TempTree workspace = new();

    public void Dispose()
    {
        data.Dispose();
        workspace.Dispose();
    }

    [Fact]
    public void A_folder_is_decoded_once_into_one_file_per_split_with_labels_keys_and_statistics()
    {
        ImageFiles.Classes(data, 20, ("ant", 10), ("bee", 10));
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter(seed: 3).Split(listing);
        var cache = DecodedCache.Open(workspace.Root, listing, split, Small);
        Assert.True(cache.WasBuilt);
        Assert.StartsWith(DecodedCache.CacheRoot(workspace.Root), cache.Directory);
        Assert.Equal(1, cache.Channels);
        var transform = new ImageTransform(16, 16, 1);
        var expected = new byte[transform.OutputLength];
        var all = new List<byte>();
        foreach (var part in new[] { SplitPart.Train, SplitPart.Validation, SplitPart.Test })
        {
            Assert.Equal(split.Count(part), cache.Count(part));
            var keys = cache.Keys(part);
            Assert.Equal(split.Select(listing, part).Select(s => s.Key), keys);
            using var images = cache.Images(part);
            using var labels = cache.Labels(part);
            Assert.Equal(new long[] { split.Count(part), 1, 16, 16 }, images.shape);
            Assert.Equal(keys.Select(k => (long)(k.StartsWith("ant/", StringComparison.Ordinal) ? 0 : 1)), labels.data<long>().ToArray());
            var pixels = images.data<byte>().ToArray();
            for (var i = 0; i < keys.Count; i++)
            {
                using (var decoded = ImageDecoder.Default.DecodeFile(data.PathOf(keys[i])))
                {
                    transform.Apply(decoded, expected);
                }

                Assert.Equal(expected, pixels.AsSpan(i * expected.Length, expected.Length).ToArray());
            }

            if (part == SplitPart.Train)
            {
                all.AddRange(pixels);
            }
        }

        var mean = all.Average(v => (double)v);
        var std = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean / 255, cache.Mean[0], 1e-9);
        Assert.Equal(std / 255, cache.Std[0], 1e-9);
        Assert.True(File.Exists(Path.Join(cache.Directory, DecodedCacheMetadata.FileName)));
        Assert.Equal(cache.Metadata.ToJson(), DecodedCache.Load(cache.Directory).Metadata.ToJson());

        var again = DecodedCache.Open(workspace.Root, listing, split, Small);
        Assert.False(again.WasBuilt);
        Assert.Equal(cache.Directory, again.Directory);
    }

    [Fact]
    public void Cache_files_are_memory_mapped_from_the_page_cache_not_copied()
    {
        ImageFiles.Classes(data, 64, ("ant", 40), ("bee", 40));
        var cache = Build();
        using var images = cache.Images(SplitPart.Train);
        Assert.True(DecodedCache.IsFileMapped(images));
        Assert.Equal(Path.Join(cache.Directory, "train.images"), DecodedCache.MappedFile(images));
        using (var labels = cache.Labels(SplitPart.Train))
        using (var copy = images.clone())
        {
            Assert.Equal(Path.Join(cache.Directory, "train.labels"), DecodedCache.MappedFile(labels));
            Assert.False(DecodedCache.IsFileMapped(copy));
        }

        using (var sum = images.sum(type: ScalarType.Int64))
        {
            Assert.True(sum.item<long>() > 0);
        }

        var mapping = Smaps(Path.Join(cache.Directory, "train.images"));
        Assert.True(mapping["Rss"] > 0, "the mapping's pages were read");
        // No page of it is a private copy (Private_Dirty may count page-cache pages not yet written back).
        Assert.Equal(0, mapping["Anonymous"]);

        // Writing to a mapped tensor copies that page privately; the cache file never changes.
        var before = File.ReadAllBytes(Path.Join(cache.Directory, "train.images"));
        using (var row = images[0])
        {
            row.fill_(7);
        }

        Assert.True(Smaps(Path.Join(cache.Directory, "train.images"))["Anonymous"] > 0, "the written page became a private copy");

        Assert.Equal(before, File.ReadAllBytes(Path.Join(cache.Directory, "train.images")));
    }

    [Fact]
    public void Adding_removing_changing_or_touching_a_file_rebuilds_the_cache()
    {
        ImageFiles.Classes(data, 20, ("ant", 6), ("bee", 6));
        var first = Build();

        ImageFiles.Png(data, "bee/new.png", 20, 20, 1, seed: 99);
        var added = Build();
        Assert.True(added.WasBuilt);
        Assert.NotEqual(first.Directory, added.Directory);
        Assert.Equal(13, Total(added));

        File.Delete(data.PathOf("ant/img000.png"));
        var removed = Build();
        Assert.True(removed.WasBuilt);
        Assert.Equal(12, Total(removed));

        ImageFiles.Png(data, "ant/img001.png", 20, 20, 1, seed: 1234);
        var changed = Build();
        Assert.True(changed.WasBuilt);
        Assert.NotEqual(removed.Directory, changed.Directory);

        File.SetLastWriteTimeUtc(data.PathOf("bee/img002.png"), DateTime.UtcNow.AddMinutes(5));
        var touched = Build();
        Assert.True(touched.WasBuilt);
        Assert.False(Build().WasBuilt);
        Assert.False(changed.IsCurrentFor(ImageFolderSource.Scan(data.Root)));
        Assert.True(touched.IsCurrentFor(ImageFolderSource.Scan(data.Root)));
    }

    [Fact]
    public void A_change_that_keeps_size_and_time_is_caught_with_content_hashes()
    {
        // Random pixels do not compress, so every 20 x 20 PNG has the same size: swapping two keeps sizes.
        ImageFiles.Classes(data, 20, ("ant", 4), ("bee", 4));
        var hashing = Small with { HashContents = true };
        var byStat = Build();
        var byContent = Build(hashing);
        var a = data.PathOf("ant/img000.png");
        var b = data.PathOf("bee/img000.png");
        var times = (File.GetLastWriteTimeUtc(a), File.GetLastWriteTimeUtc(b));
        var (bytesA, bytesB) = (File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Equal(bytesA.Length, bytesB.Length);
        File.WriteAllBytes(a, bytesB);
        File.WriteAllBytes(b, bytesA);
        File.SetLastWriteTimeUtc(a, times.Item1);
        File.SetLastWriteTimeUtc(b, times.Item2);

        Assert.Equal(byStat.Directory, Build().Directory);
        var rebuilt = Build(hashing);
        Assert.True(rebuilt.WasBuilt);
        Assert.NotEqual(byContent.Directory, rebuilt.Directory);
    }

    [Fact]
    public void Undecodable_images_are_left_out_and_listed_with_reasons_in_skipped_csv()
    {
        ImageFiles.Classes(data, 20, ("ant", 5), ("bee", 5));
        data.File("ant/notes.png", 40);
        data.File("bee/empty.png", 0);
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter().Split(listing);
        var cache = DecodedCache.Open(workspace.Root, listing, split, Small);
        Assert.Equal(10, Total(cache));
        Assert.Equal(2, cache.Metadata.Skipped);
        var rows = File.ReadAllLines(cache.SkippedFile);
        Assert.Equal("path,reason,detail", rows[0]);
        Assert.Contains(rows, r => r.StartsWith(data.PathOf("ant/notes.png") + ",NotAnImage,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith(data.PathOf("bee/empty.png") + ",EmptyFile,", StringComparison.Ordinal));
        Assert.DoesNotContain("ant/notes.png", cache.Keys(split.PartOf("ant/notes.png")));
    }

    [Fact]
    public void Building_reads_the_data_folder_and_writes_nothing_into_it()
    {
        ImageFiles.Classes(data, 20, ("ant", 5), ("bee", 5));
        data.File("bee/broken.png", 30);
        var before = data.Snapshot();
        var cache = Build();
        DataSetSurvey.Run(ImageFolderSource.Scan(data.Root), threads: 2);
        ContactSheet.Write(Path.Join(workspace.Root, "sheet.png"), ImageFolderSource.Scan(data.Root));
        Assert.True(cache.WasBuilt);
        Assert.Equal(before, data.Snapshot());
    }

    [Fact]
    public void A_workspace_inside_the_data_folder_is_refused()
    {
        ImageFiles.Classes(data, 20, ("ant", 3), ("bee", 3));
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter().Split(listing);
        var before = data.Snapshot();
        var error = Assert.Throws<DataSetException>(() => DecodedCache.Open(data.PathOf(".autonet"), listing, split, Small));
        Assert.Contains(data.Root, error.Message);
        Assert.Contains("never writes into", error.Message);
        Assert.Equal(before, data.Snapshot());
    }

    [Fact]
    public void A_cancelled_build_leaves_no_cache_and_the_next_one_succeeds()
    {
        ImageFiles.Classes(data, 20, ("ant", 30), ("bee", 30));
        using var cancel = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.Stage == "decoding" && p.Done > 0)
            {
                cancel.Cancel();
            }
        });
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter().Split(listing);
        Assert.ThrowsAny<OperationCanceledException>(() => DecodedCache.Open(workspace.Root, listing, split, Small, progress, cancel.Token));
        Assert.Empty(Directory.GetDirectories(DecodedCache.CacheRoot(workspace.Root)));
        Assert.True(DecodedCache.Open(workspace.Root, listing, split, Small).WasBuilt);
    }

    [Fact]
    public void Progress_reaches_the_total_and_two_builders_of_one_cache_build_it_once()
    {
        ImageFiles.Classes(data, 20, ("ant", 20), ("bee", 20));
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter().Split(listing);
        var reports = new System.Collections.Concurrent.ConcurrentBag<DataProgress>();
        var progress = new Inline(reports.Add);
        var caches = new DecodedCache[2];
        Parallel.For(0, 2, i => caches[i] = DecodedCache.Open(workspace.Root, listing, split, Small, progress));
        Assert.Equal(1, caches.Count(c => c.WasBuilt));
        Assert.Equal(caches[0].Directory, caches[1].Directory);
        Assert.Contains(reports, r => r.Stage == "decoding" && r.Done == 40 && r.Total == 40);
        Assert.Single(Directory.GetDirectories(DecodedCache.CacheRoot(workspace.Root)));
    }

    [Fact]
    public void A_build_waits_while_another_process_holds_the_cache_lock()
    {
        ImageFiles.Classes(data, 20, ("ant", 3), ("bee", 3));
        var directory = Build().Directory;
        Directory.Delete(directory, recursive: true);

        // Another process takes the same flock(2) lock .NET takes, and keeps it until its stdin closes.
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()");
        start.ArgumentList.Add(directory + ".lock");
        using var holder = System.Diagnostics.Process.Start(start)!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter().Split(listing);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => DecodedCache.Open(workspace.Root, listing, split, Small, cancellationToken: cancel.Token));
        }

        Assert.False(Directory.Exists(directory));
        holder.StandardInput.Close();
        holder.WaitForExit();
        Assert.True(Build().WasBuilt);
    }

    [Fact]
    public void A_half_built_cache_is_never_read()
    {
        ImageFiles.Classes(data, 20, ("ant", 4), ("bee", 4));
        var cache = Build();
        File.Delete(Path.Join(cache.Directory, DecodedCacheMetadata.FileName));
        var crashed = Directory.CreateDirectory(cache.Directory + ".building-1-dead").FullName;
        var error = Assert.Throws<DataSetException>(() => DecodedCache.Load(cache.Directory));
        Assert.Contains("not a finished decoded cache", error.Message);

        var rebuilt = Build();
        Assert.True(rebuilt.WasBuilt);
        Assert.Equal(cache.Directory, rebuilt.Directory);
        Assert.False(Directory.Exists(crashed));

        File.WriteAllBytes(Path.Join(rebuilt.Directory, "train.images"), [1, 2, 3]);
        Assert.Throws<DataSetException>(() => DecodedCache.Load(rebuilt.Directory));
        Assert.True(Build().WasBuilt);
    }

    [Theory]
    [InlineData(3, 1, 3)]
    [InlineData(1, 3, 1)]
    public void Automatic_colour_follows_most_of_the_images(int colour, int grey, int channels)
    {
        var seed = 0;
        foreach (var name in new[] { "ant", "bee" })
        {
            for (var i = 0; i < colour; i++)
            {
                ImageFiles.Png(data, $"{name}/rgb{i}.png", 12, 10, 3, seed++);
            }

            for (var i = 0; i < grey; i++)
            {
                ImageFiles.Png(data, $"{name}/grey{i}.png", 12, 10, 1, seed++);
            }
        }

        Assert.Equal(channels, Build().Channels);
        Assert.Equal(3, Build(Small with { Color = ColorMode.Rgb }).Channels);
        Assert.Equal(1, Build(Small with { Color = ColorMode.Grayscale }).Channels);
    }

    [Fact]
    public void Images_of_wildly_different_sizes_all_come_out_at_the_target_size()
    {
        ImageFiles.Png(data, "ant/dot.png", 1, 1, 3, 1);
        ImageFiles.Png(data, "ant/strip.png", 3000, 2, 3, 2);
        ImageFiles.Png(data, "ant/pole.png", 2, 2500, 1, 3);
        ImageFiles.Png(data, "bee/big.png", 900, 700, 3, 4);
        ImageFiles.Png(data, "bee/small.png", 5, 7, 4, 5);
        foreach (var fit in new[] { ImageFit.CenterCrop, ImageFit.Pad, ImageFit.Stretch })
        {
            var cache = Build(Small with { Fit = fit, Color = ColorMode.Rgb });
            Assert.Equal(5, Total(cache));
            using var train = cache.Images(SplitPart.Train);
            Assert.Equal(new long[] { cache.Count(SplitPart.Train), 3, 16, 16 }, train.shape);
        }
    }

    [Fact]
    public void A_class_with_one_image_is_cached_in_train()
    {
        ImageFiles.Classes(data, 20, ("ant", 8), ("bee", 1));
        var cache = Build();
        Assert.Equal(1, cache.Metadata.Part(SplitPart.Train).ClassCounts[1]);
        Assert.Equal(0, cache.Metadata.Part(SplitPart.Validation).ClassCounts[1] + cache.Metadata.Part(SplitPart.Test).ClassCounts[1]);
    }

    [Fact]
    public void An_empty_split_part_maps_to_an_empty_tensor()
    {
        ImageFiles.Classes(data, 20, ("ant", 3), ("bee", 3));
        var listing = ImageFolderSource.Scan(data.Root);
        var split = new StratifiedSplitter(new SplitFractions(1, 0, 0)).Split(listing);
        var cache = DecodedCache.Open(workspace.Root, listing, split, Small);
        Assert.Equal(6, cache.Count(SplitPart.Train));
        using var validation = cache.Images(SplitPart.Validation);
        using var labels = cache.Labels(SplitPart.Validation);
        Assert.Equal(new long[] { 0, 1, 16, 16 }, validation.shape);
        Assert.Equal(0, labels.numel());
        Assert.Empty(cache.Keys(SplitPart.Test));
    }

    [Fact]
    public void Fashion_mnist_is_cached_straight_from_its_idx_files()
    {
        var listing = BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName);
        var split = new StratifiedSplitter().Split(listing);
        var cache = DecodedCache.Open(workspace.Root, listing, split, new DecodedCacheSettings(28, 28) { Threads = 2 });
        Assert.Equal(10_000, cache.Count(SplitPart.Test));
        Assert.Equal(60_000, cache.Count(SplitPart.Train) + cache.Count(SplitPart.Validation));
        Assert.Equal(1, cache.Channels);

        // Item 0 of the test file, as its IDX bytes: header of 16 bytes, then 784 pixels.
        var key = cache.Keys(SplitPart.Test)[0];
        Assert.Equal("t10k-images-idx3-ubyte#0", key);
        using var stream = IdxSource.OpenData(Path.Join(BuiltInDataSets.FashionMnistFolder, "t10k-images-idx3-ubyte.gz"), out _);
        var raw = new byte[16 + 784];
        stream.ReadExactly(raw);
        using var test = cache.Images(SplitPart.Test);
        using var first = test[0].contiguous();
        Assert.Equal(raw[16..], first.data<byte>().ToArray());

        // Fashion-MNIST's well-known training statistics: mean 0.2860, std 0.3530.
        Assert.InRange(cache.Mean[0], 0.283, 0.289);
        Assert.InRange(cache.Std[0], 0.350, 0.356);
    }

    private DecodedCache Build(DecodedCacheSettings? settings = null)
    {
        var listing = ImageFolderSource.Scan(data.Root);
        return DecodedCache.Open(workspace.Root, listing, new StratifiedSplitter().Split(listing), settings ?? Small);
    }

    private static int Total(DecodedCache cache) =>
        cache.Count(SplitPart.Train) + cache.Count(SplitPart.Validation) + cache.Count(SplitPart.Test);

    /// <summary>The kB fields of this process's mapping of a file, from /proc/self/smaps.</summary>
    private static Dictionary<string, long> Smaps(string path)
    {
        var lines = File.ReadAllLines("/proc/self/smaps");
        var start = Array.FindIndex(lines, l => l.EndsWith(" " + path, StringComparison.Ordinal));
        Assert.True(start >= 0, $"{path} is not mapped");
        var fields = new Dictionary<string, long>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.Contains(':', StringComparison.Ordinal) && !l.Contains('-', StringComparison.Ordinal)))
        {
            var parts = line.Split(':', 2);
            var value = parts[1].Trim().Split(' ')[0];
            if (long.TryParse(value, out var number))
            {
                fields[parts[0]] = number;
            }
        }

        return fields;
    }

    /// <summary>Reports synchronously on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Inline(Action<DataProgress> report) : IProgress<DataProgress>
    {
        public void Report(DataProgress value) => report(value);
    }
}
