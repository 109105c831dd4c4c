using AutoNet.Data.Cache;
using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Inspection;

/// <summary>
/// Reads every sample of a listing once (in parallel, with progress, cancellable) and reports what the data really
/// is: image sizes, modes (L, LA, RGB, RGBA) and formats, the files that cannot be decoded and why, and duplicates —
/// samples with identical bytes (SHA-256), those across classes first. Nothing is written anywhere.
/// </summary>
public sealed class DataSetSurvey
{
    private DataSetSurvey(DataSetListing listing, IReadOnlyList<DecodeFailure> failures, IReadOnlyList<DuplicateGroup> duplicates,
        ImageSizeSummary sizes, IReadOnlyDictionary<string, int> modes, IReadOnlyDictionary<string, int> formats, int decodable)
    {
        Listing = listing;
        Failures = failures;
        Duplicates = duplicates;
        Sizes = sizes;
        Modes = modes;
        Formats = formats;
        Decodable = decodable;
    }

    public DataSetListing Listing { get; }

    /// <summary>Listed samples that cannot be decoded, by path.</summary>
    public IReadOnlyList<DecodeFailure> Failures { get; }

    /// <summary>Groups of identical samples: groups across classes first, then by their first key.</summary>
    public IReadOnlyList<DuplicateGroup> Duplicates { get; }

    public ImageSizeSummary Sizes { get; }

    /// <summary>Images per mode as decoded: L, LA, RGB or RGBA (palettes are expanded to RGB or RGBA).</summary>
    public IReadOnlyDictionary<string, int> Modes { get; }

    /// <summary>Images per container format: JPEG, PNG or IDX.</summary>
    public IReadOnlyDictionary<string, int> Formats { get; }

    /// <summary>Samples that decode.</summary>
    public int Decodable { get; }

    public static DataSetSurvey Run(DataSetListing listing, int threads = 0, IProgress<DataProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var samples = listing.Samples;
        var reader = new SampleReader(samples);
        var infos = new ImageInfo?[samples.Count];
        var hashes = new string?[samples.Count];
        var failures = new DecodeFailure?[samples.Count];
        var counter = new ProgressCounter("reading images", samples.Count, progress);
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, samples.Count, options, i =>
        {
            try
            {
                var (info, hash) = reader.Survey(samples[i]);
                infos[i] = info;
                hashes[i] = Convert.ToHexStringLower(hash);
            }
            catch (ImageDecodeException e) when (e.Reason != ImageDecodeFailure.CodecsUnavailable)
            {
                failures[i] = new DecodeFailure(samples[i].Path, e.Reason, e.Message);
            }

            counter.Tick();
        });

        var good = Enumerable.Range(0, samples.Count).Where(i => infos[i] is not null).ToList();
        var duplicates = good.GroupBy(i => hashes[i]!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => new DuplicateGroup(g.Key, [.. g.Select(i => samples[i]).OrderBy(s => s.Key, StringComparer.Ordinal)]))
            .OrderByDescending(g => g.AcrossClasses)
            .ThenBy(g => g.Samples[0].Key, StringComparer.Ordinal)
            .ToList();
        var modes = good.GroupBy(i => ModeName(infos[i]!.Value.Channels)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var formats = good.GroupBy(i => FormatName(infos[i]!.Value.Format)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var sizes = ImageSizeSummary.Of(good.Select(i => (infos[i]!.Value.Width, infos[i]!.Value.Height)).ToList());
        return new DataSetSurvey(listing, [.. failures.OfType<DecodeFailure>().OrderBy(f => f.Path, StringComparer.Ordinal)], duplicates, sizes,
            modes, formats, good.Count);
    }

    /// <summary>Pillow's name for a decoded channel count.</summary>
    public static string ModeName(int channels) => channels switch
    {
        1 => "L",
        2 => "LA",
        3 => "RGB",
        4 => "RGBA",
        _ => $"{channels} channels",
    };

    private static string FormatName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        _ => "IDX",
    };
}
