using AutoNet.Data;
using AutoNet.Data.Cache;
using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Export.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// The labelled images of an evaluation, decoded through the workspace's decoded cache (the very decode, resize and
/// fit training uses; the fit the package records) at the model's resolution and channels, with labels mapped to the model's class order.
/// </summary>
public sealed class EvaluationData : IDisposable
{
    private EvaluationData(Tensor pixels, int[] labels, IReadOnlyList<string> paths, int skipped)
    {
        Pixels = pixels;
        Labels = labels;
        Paths = paths;
        Skipped = skipped;
    }

    /// <summary>uint8 [N, C, H, W] in the model's channel order.</summary>
    public Tensor Pixels { get; }

    /// <summary>Indices into the model's class names.</summary>
    public int[] Labels { get; }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Files the listing or the cache left out (unreadable, undecodable, …).</summary>
    public int Skipped { get; }

    /// <summary>
    /// Throws a <see cref="DataSetException"/> listing the difference when the data's classes are not the model's
    /// (as sets; the order may differ, labels are mapped by name).
    /// </summary>
    public static int[] MapClasses(IReadOnlyList<string> dataClasses, IReadOnlyList<string> modelClasses, string source)
    {
        ArgumentNullException.ThrowIfNull(dataClasses);
        ArgumentNullException.ThrowIfNull(modelClasses);
        var onlyData = dataClasses.Except(modelClasses, StringComparer.Ordinal).ToArray();
        var onlyModel = modelClasses.Except(dataClasses, StringComparer.Ordinal).ToArray();
        if (onlyData.Length > 0 || onlyModel.Length > 0)
        {
            throw new DataSetException(source,
                $"the classes of '{source}' are not the model's: only in the data: [{string.Join(", ", onlyData)}]; only in the model: [{string.Join(", ", onlyModel)}]");
        }

        var index = modelClasses.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return dataClasses.Select(name => index[name]).ToArray();
    }

    /// <summary>Opens (building when needed) the cache of <paramref name="listing"/> under <paramref name="workspace"/> and takes the parts asked for.</summary>
    public static EvaluationData Load(string workspace, DataSetListing listing, DataSplit split, IReadOnlyList<SplitPart> parts, OnnxPreprocessing preprocessing,
        IReadOnlyList<string> modelClasses, int threads, IProgress<DataProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(preprocessing);
        var mapping = MapClasses(listing.ClassNames, modelClasses, listing.Source);
        var settings = new DecodedCacheSettings(preprocessing.Height, preprocessing.Width)
        {
            Color = preprocessing.ChannelOrder == OnnxChannelOrder.Grayscale ? ColorMode.Grayscale : ColorMode.Rgb,
            Fit = preprocessing.Fit,
            Threads = threads,
        };
        var cache = DecodedCache.Open(workspace, listing, split, settings, progress, cancellationToken);
        var paths = listing.Samples.ToDictionary(s => s.Key, s => s.ItemIndex >= 0 ? $"{s.Path}#{s.ItemIndex}" : s.Path, StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        var images = new List<Tensor>();
        var labels = new List<int>();
        var keys = new List<string>();
        foreach (var part in parts.Where(p => cache.Count(p) > 0))
        {
            images.Add(cache.Images(part));
            labels.AddRange(cache.Labels(part).data<long>().ToArray().Select(l => mapping[l]));
            keys.AddRange(cache.Keys(part));
        }

        if (labels.Count == 0)
        {
            throw new DataSetException(listing.Source, $"'{listing.Source}' has no decodable image in the {string.Join(" and ", parts.Select(p => p.ToString().ToLowerInvariant()))} part(s)");
        }

        var pixels = images.Count == 1 ? images[0].clone() : torch.cat(images, 0);
        if (preprocessing.ChannelOrder == OnnxChannelOrder.Bgr)
        {
            pixels = pixels.index_select(1, torch.tensor(new long[] { 2, 1, 0 }));
        }

        pixels = pixels.contiguous();
        pixels.MoveToOuterDisposeScope();
        return new EvaluationData(pixels, [.. labels], keys.Select(k => paths[k]).ToArray(), cache.Metadata.Skipped);
    }

    public void Dispose() => Pixels.Dispose();
}
