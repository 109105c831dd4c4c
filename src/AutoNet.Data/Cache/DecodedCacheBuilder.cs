using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using Microsoft.Win32.SafeHandles;

namespace AutoNet.Data.Cache;

/// <summary>
/// Builds a decoded cache's files into a folder nobody reads yet (the caller renames it into place): per split,
/// the images as raw uint8 [N, C, H, W], the labels as little-endian int64 [N] and the sample keys as JSON, then
/// skipped.csv, then meta.json last. Decoding runs on several threads; each image goes to the slot its position in
/// the split gives it, so the result does not depend on thread timing. Samples that cannot be decoded are left out
/// and listed in skipped.csv.
/// </summary>
internal static class DecodedCacheBuilder
{
    public static readonly SplitPart[] Parts = [SplitPart.Train, SplitPart.Validation, SplitPart.Test];

    /// <summary>How many images at most vote on the colour mode.</summary>
    public const int ColourVoters = 2000;

    private const int ChunkImages = 64;

    public static string PartName(SplitPart part) => part switch
    {
        SplitPart.Train => "train",
        SplitPart.Validation => "validation",
        _ => "test",
    };

    public static DecodedCacheMetadata Build(string directory, string key, string fingerprint, DataSetListing listing, DataSplit split,
        DecodedCacheSettings settings, IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        var selected = Parts.ToDictionary(p => p, p => split.Select(listing, p));
        var reader = new SampleReader(listing.Samples);
        var channels = ResolveChannels(settings, listing.Samples, reader, progress, cancellationToken);
        var transform = new ImageTransform(settings.Height, settings.Width, channels, settings.Fit);
        var failures = new ConcurrentBag<DecodeFailure>();
        var counter = new ProgressCounter("decoding", selected.Values.Sum(s => s.Count), progress);
        var statistics = new long[2 * channels];
        var parts = new List<DecodedCachePart>();
        foreach (var part in Parts)
        {
            var samples = selected[part];
            var file = Path.Join(directory, PartName(part) + ".images");
            var decoded = WriteImages(file, samples, reader, transform, settings.Threads, part == SplitPart.Train ? statistics : null,
                failures, counter, cancellationToken);
            var kept = samples.Where((_, i) => decoded[i]).ToList();
            WriteLabels(Path.Join(directory, PartName(part) + ".labels"), kept);
            File.WriteAllText(Path.Join(directory, PartName(part) + ".keys.json"), JsonSerializer.Serialize(kept.Select(s => s.Key).ToList()));
            var classCounts = new int[listing.ClassNames.Count];
            foreach (var sample in kept)
            {
                classCounts[sample.Label]++;
            }

            parts.Add(new DecodedCachePart(part, kept.Count, classCounts));
        }

        var trainCount = parts[0].Count;
        if (trainCount == 0)
        {
            throw new DataSetException(listing.Source, $"no training image of '{listing.Source}' could be decoded ({failures.Count} failed; first: {failures.OrderBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault()?.Path})");
        }

        var pixels = (double)trainCount * settings.Height * settings.Width;
        var mean = new double[channels];
        var std = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            var m = statistics[2 * c] / pixels;
            mean[c] = m / 255.0;
            std[c] = Math.Sqrt(Math.Max(0, (statistics[(2 * c) + 1] / pixels) - (m * m))) / 255.0;
        }

        SkippedFileReport.Write(Path.Join(directory, SkippedFileReport.FileName), listing.Skipped, failures);
        var metadata = new DecodedCacheMetadata
        {
            Key = key,
            Source = listing.Source,
            Fingerprint = fingerprint,
            ContentsHashed = settings.HashContents,
            Height = settings.Height,
            Width = settings.Width,
            Channels = channels,
            RequestedColor = settings.Color,
            Fit = settings.Fit,
            ClassNames = listing.ClassNames,
            SplitSeed = split.Seed,
            Parts = parts,
            Mean = mean,
            Std = std,
            Skipped = listing.Skipped.Count + failures.Count,
            Created = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(Path.Join(directory, DecodedCacheMetadata.FileName), metadata.ToJson());
        return metadata;
    }

    /// <summary>
    /// 1 or 3: forced, or chosen from the data's headers — RGB when at least half the images are colour (RGB, RGBA,
    /// palette), since most of the data then carries colour; grey otherwise, so a few stray colour files do not
    /// triple a grey data set's cache. Up to <see cref="ColourVoters"/> images spread evenly over the listing vote
    /// (all of them in a smaller data set); unreadable headers do not vote (decoding reports them).
    /// </summary>
    internal static int ResolveChannels(DecodedCacheSettings settings, IReadOnlyList<LabelledSample> samples, SampleReader reader,
        IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        switch (settings.Color)
        {
            case ColorMode.Grayscale:
                return 1;
            case ColorMode.Rgb:
                return 3;
        }

        var stride = Math.Max(1, (samples.Count + ColourVoters - 1) / ColourVoters);
        var voters = Enumerable.Range(0, (samples.Count + stride - 1) / stride).Select(i => samples[i * stride]).ToList();
        var counter = new ProgressCounter("reading headers", voters.Count, progress);
        long colour = 0, grey = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Threads, CancellationToken = cancellationToken };
        Parallel.For(0, voters.Count, options, i =>
        {
            try
            {
                Interlocked.Increment(ref reader.ReadInfo(voters[i]).Channels >= 3 ? ref colour : ref grey);
            }
            catch (ImageDecodeException e) when (e.Reason != ImageDecodeFailure.CodecsUnavailable)
            {
                // Not a vote; the decoding pass skips and reports this file.
            }

            counter.Tick();
        });
        return colour > 0 && colour >= grey ? 3 : 1;
    }

    private static bool[] WriteImages(string path, IReadOnlyList<LabelledSample> samples, SampleReader reader, ImageTransform transform, int threads,
        long[]? statistics, ConcurrentBag<DecodeFailure> failures, ProgressCounter counter, CancellationToken cancellationToken)
    {
        var size = transform.OutputLength;
        var decoded = new bool[samples.Count];
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        RandomAccess.SetLength(handle, (long)samples.Count * size);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        var chunks = (samples.Count + ChunkImages - 1) / ChunkImages;

        // Workers take runs of consecutive images and write each run with one call: far fewer system calls.
        Parallel.For(0, chunks, options,
            () => (Buffer: new byte[ChunkImages * size], Sums: new long[2 * transform.Channels]),
            (chunk, _, local) =>
            {
                var first = chunk * ChunkImages;
                var count = Math.Min(ChunkImages, samples.Count - first);
                for (var k = 0; k < count; k++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var i = first + k;
                    var slot = local.Buffer.AsSpan(k * size, size);
                    try
                    {
                        reader.Transform(samples[i], transform, slot);
                        decoded[i] = true;
                        if (statistics is not null)
                        {
                            Accumulate(slot, transform.Channels, local.Sums);
                        }
                    }
                    catch (ImageDecodeException e) when (e.Reason != ImageDecodeFailure.CodecsUnavailable)
                    {
                        slot.Clear();
                        failures.Add(new DecodeFailure(samples[i].Path, e.Reason, e.Message));
                    }

                    counter.Tick();
                }

                RandomAccess.Write(handle, local.Buffer.AsSpan(0, count * size), (long)first * size);
                return local;
            },
            local =>
            {
                if (statistics is not null)
                {
                    lock (statistics)
                    {
                        for (var k = 0; k < statistics.Length; k++)
                        {
                            statistics[k] += local.Sums[k];
                        }
                    }
                }
            });
        Compact(handle, decoded, size);
        return decoded;
    }

    /// <summary>Closes the gaps left by samples that failed to decode, keeping the order of the others.</summary>
    private static void Compact(SafeFileHandle handle, bool[] decoded, int size)
    {
        if (decoded.All(d => d))
        {
            return;
        }

        var buffer = new byte[size];
        long next = 0;
        for (var i = 0; i < decoded.Length; i++)
        {
            if (!decoded[i])
            {
                continue;
            }

            if (next != i)
            {
                RandomAccess.Read(handle, buffer, (long)i * size);
                RandomAccess.Write(handle, buffer, next * size);
            }

            next++;
        }

        RandomAccess.SetLength(handle, next * size);
    }

    private static void Accumulate(ReadOnlySpan<byte> image, int channels, long[] sums)
    {
        var plane = image.Length / channels;
        for (var c = 0; c < channels; c++)
        {
            long sum = 0, squares = 0;
            foreach (var v in image.Slice(c * plane, plane))
            {
                sum += v;
                squares += v * v;
            }

            sums[2 * c] += sum;
            sums[(2 * c) + 1] += squares;
        }
    }

    private static void WriteLabels(string path, List<LabelledSample> samples)
    {
        var bytes = new byte[samples.Count * sizeof(long)];
        for (var i = 0; i < samples.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), samples[i].Label);
        }

        File.WriteAllBytes(path, bytes);
    }
}
