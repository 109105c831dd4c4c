using System.Collections.Concurrent;
using AutoNet.Data.Cache;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Dashboard;

/// <summary>
/// Test images shown as PNG, as the trial saw them: from the experiment's decoded cache in the workspace, at the trial's
/// resolution, by their index in the test split. A request gives only an index, checked against the split's size, never
/// a path; the cache is found, not built, so the dashboard writes nothing (a missing cache is a clear 404).
/// </summary>
internal sealed class TestImages
{
    private readonly string _workspace;
    private readonly ConcurrentDictionary<string, Lazy<DecodedCache?>> _caches = new(StringComparer.Ordinal);

    public TestImages(string workspace) => _workspace = Path.GetFullPath(workspace);

    public byte[] Png(Experiment experiment, Trial trial, int index)
    {
        var (cache, pixels) = Read(experiment, trial, index);
        return PngWriter.Encode(pixels, cache.Width, cache.Height, cache.Channels);
    }

    /// <summary>The cache the trial trained from and one of its test images, height × width × channels.</summary>
    public (DecodedCache Cache, byte[] Pixels) Read(Experiment experiment, Trial trial, int index)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trial);
        var cache = CacheOf(experiment, trial);
        var count = cache.Count(SplitPart.Test);
        if (index < 0 || index >= count)
        {
            throw new DashboardNotFoundException($"test image {index} of '{experiment.Name}': the test split has images 0 to {count - 1}");
        }

        return (cache, cache.ReadImage(SplitPart.Test, index));
    }

    private DecodedCache CacheOf(Experiment experiment, Trial trial)
    {
        var space = new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space");
        var plan = SearchPlan.FromJson(experiment.BudgetJson);
        var resolution = SampleHyperparameters.Resolution(space, SearchSample.FromJson(trial.HyperparametersJson), plan.Resolution);
        var key = $"{experiment.Id}:{resolution}";
        var lazy = _caches.GetOrAdd(key, _ => new Lazy<DecodedCache?>(() =>
        {
            var listing = DataSetSources.Open(experiment.DataSource);
            var split = DataSplit.FromJson(experiment.SplitJson, $"experiment '{experiment.Name}' split");
            return DecodedCache.Find(_workspace, ExperimentData.Restrict(listing, split), split, new DecodedCacheSettings(resolution, resolution));
        }));
        DecodedCache? cache;
        try
        {
            cache = lazy.Value;
        }
        catch
        {
            _caches.TryRemove(new KeyValuePair<string, Lazy<DecodedCache?>>(key, lazy));
            throw;
        }

        if (cache is null)
        {
            // Not remembered: a search may build it later.
            _caches.TryRemove(new KeyValuePair<string, Lazy<DecodedCache?>>(key, lazy));
            throw new DashboardNotFoundException(
                $"the images of '{experiment.Name}' at {resolution} px are not in the workspace '{_workspace}' (its decoded cache is missing): " +
                "start the dashboard with the --workspace the search used");
        }

        return cache;
    }
}
