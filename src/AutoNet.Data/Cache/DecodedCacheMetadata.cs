using System.Text.Json;
using System.Text.Json.Serialization;
using AutoNet.Data.Decoding;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Cache;

/// <summary>
/// The metadata file of a decoded cache (<c>meta.json</c>, written last, so a cache without it is not finished):
/// the format version, the data set's fingerprint and the settings it was built for, the image shape, the classes,
/// each split's counts, and the per-channel mean and standard deviation of the training images on a 0–1 scale.
/// </summary>
public sealed record DecodedCacheMetadata
{
    /// <summary>Bumped whenever the cache's files change meaning; an older cache is rebuilt, never misread.</summary>
    public const int CurrentVersion = 1;

    public const string FileName = "meta.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public int Version { get; init; } = CurrentVersion;

    public required string Key { get; init; }

    public required string Source { get; init; }

    public required string Fingerprint { get; init; }

    public bool ContentsHashed { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    /// <summary>1 (grey) or 3 (RGB): what <see cref="RequestedColor"/> resolved to for this data.</summary>
    public required int Channels { get; init; }

    public ColorMode RequestedColor { get; init; }

    public ImageFit Fit { get; init; }

    public required IReadOnlyList<string> ClassNames { get; init; }

    public int SplitSeed { get; init; }

    public required IReadOnlyList<DecodedCachePart> Parts { get; init; }

    /// <summary>Per-channel mean of the training images, pixel values scaled to 0–1.</summary>
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Per-channel (population) standard deviation of the training images, pixel values scaled to 0–1.</summary>
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>Entries left out (by the scan or because they could not be decoded), listed in skipped.csv.</summary>
    public int Skipped { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>Bytes of one image: C × H × W.</summary>
    [JsonIgnore]
    public long ImageBytes => (long)Channels * Height * Width;

    public DecodedCachePart Part(SplitPart part) => Parts.Single(p => p.Part == part);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DecodedCacheMetadata Load(string path)
    {
        try
        {
            var metadata = JsonSerializer.Deserialize<DecodedCacheMetadata>(File.ReadAllText(path), Json)
                ?? throw new DataSetException(path, $"cache metadata '{path}' is empty");
            if (metadata.Version != CurrentVersion)
            {
                throw new DataSetException(path, $"cache metadata '{path}' has format version {metadata.Version}, expected {CurrentVersion}");
            }

            if (metadata.Channels is not (1 or 3) || metadata.Height <= 0 || metadata.Width <= 0 || metadata.Parts.Count != 3)
            {
                throw new DataSetException(path, $"cache metadata '{path}' is invalid: shape {metadata.Channels} x {metadata.Height} x {metadata.Width}, {metadata.Parts.Count} parts");
            }

            return metadata;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new DataSetException(path, $"cannot read cache metadata '{path}': {e.Message}", e);
        }
    }
}
