using AutoNet.Data;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>
/// The factory rebuilds a trial from what the store holds (the sample as hyperparameters JSON, the experiment's space,
/// data source, split and plan): the blueprint's recipe, the decoded cache at the sample's resolution shared between
/// trials, the test split, class weights for an imbalanced folder, and the trial's folder.
/// </summary>
public sealed class TrialRequestFactoryTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_stored_trial_becomes_its_blueprint_on_the_cached_data_at_its_resolution_with_class_weights_and_test_split()
    {
        var folder = Path.Join(database.Directory, "images");
        var random = new Random(1);
        foreach (var (name, count) in new[] { ("ant", 30), ("bee", 10) })
        {
            Directory.CreateDirectory(Path.Join(folder, name));
            for (var i = 0; i < count; i++)
            {
                var pixels = new byte[20 * 20];
                random.NextBytes(pixels);
                PngWriter.Write(Path.Join(folder, name, $"{i}.png"), pixels, 20, 20, 1);
            }
        }

        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 1).Split(listing);
        var plan = new SearchPlan { MaxTrials = 3, Resolution = 16, ClassWeights = true, CacheThreads = 1 };
        var catalog = SearchSpaceCatalog.Default;
        var space = catalog.Resolve("macro-cnn");
        await using var store = await ExperimentStore.OpenAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("exp/1", folder, split.ToJson(), space.Name,
            await File.ReadAllTextAsync(catalog.ResolvePath("macro-cnn")), "random", "asha", plan.ToJson(), Seed: 5));

        // Three samples: two at one resolution, one at another.
        var samples = Enumerable.Range(0, 200).Select(i => space.Sample(new SearchRandom(i))).ToList();
        var first = samples[0];
        var resolution = first.GetInt32(SpaceLabels.InputResolution);
        var same = samples.Skip(1).First(s => s.GetInt32(SpaceLabels.InputResolution) == resolution);
        var other = samples.First(s => s.GetInt32(SpaceLabels.InputResolution) != resolution);
        var workspace = Path.Join(database.Directory, "workspace");
        var factory = new TrialRequestFactory(store, workspace);
        var requests = new List<Training.TrialRequest>();
        foreach (var sample in new[] { first, same, other })
        {
            var trial = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", sample.Hash, sample.ToCanonicalJson(), null, null));
            requests.Add(factory.Create(new TrialAssignment(experiment.Id, trial.Id, (int)trial.Number, 1, sample.GetInt32(SpaceLabels.Epochs), false, 1,
                new DeviceSlot("cpu"))));
        }

        var expected = TrialBlueprint.FromSample(space, first, 1, 2, TrialRequestFactory.TrialSeed(5, 1), 16);
        Assert.Equal(expected.Hyperparameters, requests[0].Hyperparameters);
        Assert.Equal(1, requests[0].TargetEpoch);
        Assert.Equal(Path.Join(Path.GetFullPath(workspace), "experiments", "exp_1", "trials", "0001"), requests[0].Directory);
        Assert.Equal(new long[] { split.Count(SplitPart.Train), 1, resolution, resolution }, requests[0].Data.TrainImages.Shape);
        Assert.Equal(split.Count(SplitPart.Validation), requests[0].Data.ValidationLabels.Shape[0]);
        Assert.Equal(split.Count(SplitPart.Test), requests[0].Test!.Value.Labels.Shape[0]);
        var other_ = other.GetInt32(SpaceLabels.InputResolution);
        Assert.Equal(new long[] { split.Count(SplitPart.Train), 1, other_, other_ }, requests[2].Data.TrainImages.Shape);

        // Imbalanced 3:1, so the loss is weighted n / (k * count) over the training split: the rarer class weighs more.
        var train = split.Balance(SplitPart.Train);
        Assert.Equal(train.Counts.Select(c => train.Counts.Sum() / (2.0 * c)), requests[0].Data.ClassWeights!);
        Assert.True(requests[0].Data.ClassWeights![1] > requests[0].Data.ClassWeights![0]);

        // One cache per resolution, shared by the trials at it; another factory of the process shares it too.
        Assert.Same(requests[0].Data, requests[1].Data);
        Assert.NotSame(requests[0].Data, requests[2].Data);
        Assert.Equal(2, Directory.GetDirectories(DecodedCache.CacheRoot(workspace)).Length);
        var again = new TrialRequestFactory(store, workspace).Create(new TrialAssignment(experiment.Id, 1, 1, 2, 5, false, 1, new DeviceSlot("cpu")));
        Assert.Same(requests[0].Data, again.Data);
        Assert.Equal(2, again.TargetEpoch);
    }

    [Fact]
    public void A_subset_split_restricts_the_full_listing_to_its_samples_in_listing_order()
    {
        var samples = Enumerable.Range(0, 12).Select(i => new LabelledSample($"k{i:D2}", $"/x/{i}.png", i % 2, null)).ToList();
        var full = new DataSetListing("/x", ["a", "b"], samples, []);
        var subset = new DataSetListing("/x", ["a", "b"], [samples[3], samples[4], samples[7], samples[8], samples[10], samples[11]], []);
        var split = new StratifiedSplitter(seed: 3).Split(subset);

        var restricted = ExperimentData.Restrict(full, split);

        Assert.Equal(subset.Samples, restricted.Samples);
        Assert.Same(full, ExperimentData.Restrict(full, new StratifiedSplitter(seed: 3).Split(full)));
    }

    [Fact]
    public void A_search_plan_round_trips_through_the_experiment_budget_json_and_bad_json_is_named()
    {
        var plan = new SearchPlan { WallTimeSeconds = 90, MaxTrials = 4, MaxEpochs = 30, Resolution = 28, HorizontalFlip = false, ClassWeights = true };

        Assert.Equal(plan, SearchPlan.FromJson(plan.ToJson()));
        Assert.Equal(new Scheduling.Search.SearchBudget(TimeSpan.FromSeconds(90), 4, 30), plan.Budget);
        var error = Assert.Throws<ArgumentException>(() => SearchPlan.FromJson("{\"maxTrials\": 3}"));
        Assert.Contains("resolution", error.Message);
    }
}
