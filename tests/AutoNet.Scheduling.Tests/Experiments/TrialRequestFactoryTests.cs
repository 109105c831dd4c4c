using AutoNet.Data.Cache;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
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
        var folder = WriteImages([("ant", 30), ("bee", 10)], side: 20, seed: 1);
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
        Assert.Equal(new long[] { split.Count(SplitPart.Train), 1, resolution, resolution }, requests[0].Data.TrainImages.shape);
        Assert.Equal(split.Count(SplitPart.Validation), requests[0].Data.ValidationLabels.shape[0]);
        Assert.Equal(split.Count(SplitPart.Test), requests[0].Test!.Value.Labels.shape[0]);
        var other_ = other.GetInt32(SpaceLabels.InputResolution);
        Assert.Equal(new long[] { split.Count(SplitPart.Train), 1, other_, other_ }, requests[2].Data.TrainImages.shape);

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
        var plan = new SearchPlan
        {
            WallTimeSeconds = 90, MaxTrials = 4, MaxEpochs = 30, Resolution = 28, HorizontalFlip = false, ClassWeights = true,
            SearchTrainImages = 500, FinalTrainingSeconds = 600,
        };

        Assert.Equal(plan, SearchPlan.FromJson(plan.ToJson()));
        Assert.Equal(new Scheduling.Search.SearchBudget(TimeSpan.FromSeconds(90), 4, 30), plan.Budget);
        var error = Assert.Throws<ArgumentException>(() => SearchPlan.FromJson("{\"maxTrials\": 3}"));
        Assert.Contains("resolution", error.Message);
    }

    [Fact]
    public async Task Search_trials_train_on_the_plans_subset_and_the_final_training_on_every_training_image_for_its_own_epochs()
    {
        var folder = WriteImages([("ant", 40), ("bee", 20), ("cat", 20)], side: 12, seed: 2);
        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 1).Split(listing);
        var plan = new SearchPlan { MaxTrials = 3, Resolution = 12, CacheThreads = 1, SearchTrainImages = 16, FinalTrainingSeconds = 60 };
        var catalog = SearchSpaceCatalog.Default;
        var space = catalog.Resolve("macro-cnn-tiny");
        await using var store = await ExperimentStore.OpenAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("subset", folder, split.ToJson(), space.Name,
            await File.ReadAllTextAsync(catalog.ResolvePath("macro-cnn-tiny")), "random", "asha", plan.ToJson(), Seed: 7));
        var sample = space.Sample(new SearchRandom(3));
        var final = sample.With(SpaceLabels.Epochs, 11);
        var factory = new TrialRequestFactory(store, Path.Join(database.Directory, "workspace"));
        var searched = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", sample.Hash, sample.ToCanonicalJson()));
        var retrained = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", final.Hash, final.ToCanonicalJson(), Role: TrialRole.Final));
        Assert.Equal(TrialRole.Final, retrained.Role);

        var search = factory.Create(new TrialAssignment(experiment.Id, searched.Id, 1, 1, 3, false, 1, new DeviceSlot("cpu")));
        var whole = factory.Create(new TrialAssignment(experiment.Id, retrained.Id, 2, 11, 11, false, 1, new DeviceSlot("cpu")));

        // 16 of the 64 training images, each class its share (ant 8, bee 4, cat 4); validation keeps its 2,000 images at
        // least, so all of these.
        Assert.Equal(16, search.Data.TrainLabels.shape[0]);
        Assert.Equal([8L, 4, 4], search.Data.TrainLabels.data<long>().ToArray().GroupBy(l => l).OrderBy(g => g.Key).Select(g => (long)g.Count()));
        Assert.Equal(split.Count(SplitPart.Validation), search.Data.ValidationLabels.shape[0]);
        Assert.Equal(split.Count(SplitPart.Train), whole.Data.TrainLabels.shape[0]);
        Assert.Equal(11, whole.Hyperparameters.Epochs);

        // Eleven epochs are outside the space's range: only a final training may have them.
        var outside = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", final.Hash, final.ToCanonicalJson()));
        var refused = Assert.Throws<SearchSampleException>(() => factory.Create(new TrialAssignment(experiment.Id, outside.Id, 3, 1, 11, false, 1, new DeviceSlot("cpu"))));
        Assert.Contains(SpaceLabels.Epochs, refused.Message);
    }

    [Fact]
    public void Search_trials_on_a_subset_validate_on_a_quarter_of_its_size_between_two_thousand_images_and_all()
    {
        Assert.Equal(2_000, SearchPlan.SearchValidationImages(4_000, 6_670));
        Assert.Equal(3_000, SearchPlan.SearchValidationImages(12_000, 6_670));
        Assert.Equal(6_670, SearchPlan.SearchValidationImages(40_000, 6_670));
        Assert.Equal(800, SearchPlan.SearchValidationImages(500, 800));
    }

    [Fact]
    public void A_stratified_subset_keeps_each_class_share_is_seeded_and_sorted()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => (long)(i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2)).ToArray();

        var picked = ExperimentData.StratifiedSubset(labels, 100, seed: 4);

        Assert.Equal(100, picked.Length);
        Assert.Equal(picked.Order(), picked);
        Assert.Equal(picked.Length, picked.Distinct().Count());
        Assert.Equal([60, 30, 10], picked.GroupBy(p => labels[p]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(picked, ExperimentData.StratifiedSubset(labels, 100, seed: 4));
        Assert.NotEqual(picked, ExperimentData.StratifiedSubset(labels, 100, seed: 5));

        // A class too rare for its share still keeps one image; the count is still met.
        var rare = Enumerable.Repeat(0L, 999).Append(1L).ToArray();
        var few = ExperimentData.StratifiedSubset(rare, 10, seed: 1);
        Assert.Equal(10, few.Length);
        Assert.Contains(999L, few);
    }

    private string WriteImages((string Name, int Count)[] classes, int side, int seed) => TestImages.WriteFolder(database.Directory, classes, side, seed);
}
