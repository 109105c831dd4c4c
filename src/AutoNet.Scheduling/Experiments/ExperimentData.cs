using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AutoNet.Data;
using AutoNet.Data.Cache;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Store;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// An experiment's images in this process: its data source listed once, restricted to the samples of its stored
/// split (a search over a subset stores only the subset's keys), and per resolution one decoded cache with the
/// trial data and test split read from it. Caches are opened (built the first time) once per resolution and shared by
/// every trial of the process: the tensors are memory-mapped and only read, so trials on several slots can share them.
/// </summary>
public sealed class ExperimentData : IDisposable
{
    private static readonly ConcurrentDictionary<string, ExperimentData> Shared = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ResolutionData> byResolution = [];
    private readonly Dictionary<(int Resolution, int Images, long Seed), TrialData> subsets = [];
    private readonly Lock gate = new();
    private bool disposed;

    public ExperimentData(string workspace, DataSetListing listing, DataSplit split, SearchPlan plan)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspace);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(plan);
        Workspace = Path.GetFullPath(workspace);
        Listing = Restrict(listing, split);
        Split = split;
        Plan = plan;
        split.CheckMatches(Listing);
    }

    public string Workspace { get; }

    public DataSetListing Listing { get; }

    public DataSplit Split { get; }

    public SearchPlan Plan { get; }

    /// <summary>Per-class loss weights of the training split when the plan asks for them, else null.</summary>
    public IReadOnlyList<double>? ClassWeights => Plan.ClassWeights ? Split.Balance(SplitPart.Train).Weights : null;

    /// <summary>
    /// The process-wide data of a stored experiment under <paramref name="workspace"/>: listed and split once, then
    /// shared by every request of every worker thread.
    /// </summary>
    public static ExperimentData For(Experiment experiment, string workspace)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var key = $"{Path.GetFullPath(workspace)}\n{experiment.DataSource}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(experiment.SplitJson)))}";
        return Shared.GetOrAdd(key, _ => new ExperimentData(workspace, DataSetSources.Open(experiment.DataSource),
            DataSplit.FromJson(experiment.SplitJson, $"experiment '{experiment.Name}' split"), SearchPlan.FromJson(experiment.BudgetJson)));
    }

    /// <summary>
    /// The listing's samples that the split assigns, in listing order (so a subset's fingerprint, and so its cache, is
    /// the same in every process); the listing itself when the split covers all of it.
    /// </summary>
    public static DataSetListing Restrict(DataSetListing listing, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(split);
        if (listing.Samples.Count == split.Assignments.Count)
        {
            return listing;
        }

        return new DataSetListing(listing.Source, listing.ClassNames, [.. listing.Samples.Where(s => split.Assignments.ContainsKey(s.Key))], listing.Skipped);
    }

    /// <summary>The decoded cache at <paramref name="resolution"/>, built under the workspace the first time any process asks.</summary>
    public DecodedCache Cache(int resolution, IProgress<DataProgress>? progress = null, CancellationToken cancellationToken = default) =>
        At(resolution, progress, cancellationToken).Cache;

    /// <summary>The training and validation data at <paramref name="resolution"/> (flip and class weights from the plan).</summary>
    public TrialData TrialData(int resolution) => At(resolution, null, CancellationToken.None).Data;

    /// <summary>
    /// The training and validation data at <paramref name="resolution"/> with the training part cut to a stratified,
    /// seeded subset of <paramref name="trainImages"/> images (each class keeps its share), and the validation part to
    /// <see cref="SearchPlan.SearchValidationImages"/> of its images; the whole data when the training part is no
    /// larger. One subset per (resolution, size, seed), shared like the caches.
    /// </summary>
    public TrialData TrialData(int resolution, int trainImages, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainImages, 1);
        var whole = TrialData(resolution);
        if (trainImages >= whole.TrainLabels.shape[0])
        {
            return whole;
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var key = (resolution, trainImages, seed);
            if (!subsets.TryGetValue(key, out var subset))
            {
                using var indices = torch.tensor(StratifiedSubset(whole.TrainLabels.data<long>().ToArray(), trainImages, seed));
                var validationCount = (int)whole.ValidationLabels.shape[0];
                using var validation = torch.tensor(StratifiedSubset(whole.ValidationLabels.data<long>().ToArray(),
                    SearchPlan.SearchValidationImages(trainImages, validationCount), seed));
                subset = whole with
                {
                    TrainImages = whole.TrainImages.index_select(0, indices).DetachFromDisposeScope(),
                    TrainLabels = whole.TrainLabels.index_select(0, indices).DetachFromDisposeScope(),
                    ValidationImages = whole.ValidationImages.index_select(0, validation).DetachFromDisposeScope(),
                    ValidationLabels = whole.ValidationLabels.index_select(0, validation).DetachFromDisposeScope(),
                };
                subsets[key] = subset;
            }

            return subset;
        }
    }

    /// <summary>
    /// Positions (ascending) of <paramref name="count"/> of <paramref name="labels"/>: each class's share rounded, at least
    /// one per class, the rest of the count filled from the classes with the largest remainders; within a class, a
    /// seeded shuffle picks which.
    /// </summary>
    public static long[] StratifiedSubset(IReadOnlyList<long> labels, int count, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var byClass = labels.Select((label, position) => (label, position)).GroupBy(p => p.label).OrderBy(g => g.Key)
            .Select(g => g.Select(p => (long)p.position).ToArray()).ToArray();
        var exact = byClass.Select(members => (double)members.Length * count / labels.Count).ToArray();
        var take = exact.Select((share, i) => Math.Min(byClass[i].Length, Math.Max(1, (int)Math.Floor(share)))).ToArray();
        foreach (var i in Enumerable.Range(0, byClass.Length).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i))
        {
            if (take.Sum() >= count)
            {
                break;
            }

            if (take[i] < byClass[i].Length)
            {
                take[i]++;
            }
        }

        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var chosen = new List<long>(count);
        for (var c = 0; c < byClass.Length; c++)
        {
            var members = (long[])byClass[c].Clone();
            random.Shuffle(members);
            chosen.AddRange(members.Take(take[c]));
        }

        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>The test split at <paramref name="resolution"/>, or null when the split has no test part.</summary>
    public (Tensor Images, Tensor Labels)? Test(int resolution) => At(resolution, null, CancellationToken.None).Test;

    private ResolutionData At(int resolution, IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (byResolution.TryGetValue(resolution, out var known))
            {
                return known;
            }

            var settings = new DecodedCacheSettings(resolution, resolution) { Threads = Plan.CacheThreads ?? Environment.ProcessorCount };
            var cache = DecodedCache.Open(Workspace, Listing, Split, settings, progress, cancellationToken);
            var data = Training.TrialData.FromCache(cache, Plan.HorizontalFlip) with { ClassWeights = ClassWeights };
            (Tensor, Tensor)? test = cache.Count(SplitPart.Test) > 0 ? (cache.Images(SplitPart.Test), cache.Labels(SplitPart.Test)) : null;
            var entry = new ResolutionData(cache, data, test);
            byResolution[resolution] = entry;
            return entry;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            foreach (var entry in byResolution.Values)
            {
                entry.Data.TrainImages.Dispose();
                entry.Data.TrainLabels.Dispose();
                entry.Data.ValidationImages.Dispose();
                entry.Data.ValidationLabels.Dispose();
                entry.Test?.Images.Dispose();
                entry.Test?.Labels.Dispose();
            }

            byResolution.Clear();
            foreach (var subset in subsets.Values)
            {
                subset.TrainImages.Dispose();
                subset.TrainLabels.Dispose();
            }

            subsets.Clear();
        }
    }

    private sealed record ResolutionData(DecodedCache Cache, TrialData Data, (Tensor Images, Tensor Labels)? Test);
}
