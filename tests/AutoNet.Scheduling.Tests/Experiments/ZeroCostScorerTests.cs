using AutoNet.Scheduling.Experiments;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Training;
using AutoNet.Training.Proxies;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests.Experiments;

public sealed class ZeroCostScorerTests : IDisposable
{
    private readonly RandomTrialData randomImages = new(120);
    private readonly SearchSpace space = SearchSpaceCatalog.Default.Resolve("macro-cnn-tiny");

    private TrialData data => randomImages.Data;

    public void Dispose() => randomImages.Dispose();

    [Theory]
    [InlineData(ZeroCostProxy.Naswot)]
    [InlineData(ZeroCostProxy.Synflow)]
    public void The_same_point_scores_the_same_and_different_points_differ(ZeroCostProxy proxy)
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        using var scorer = new ZeroCostScorer(space, guard, data, proxy, seed: 3, defaultResolution: 28);
        var random = new SearchRandom(1);
        var points = Enumerable.Range(0, 4).Select(_ => space.Sample(random)).ToArray();

        var first = points.Select(scorer.Score).ToArray();
        var again = points.Select(scorer.Score).ToArray();

        Assert.All(first, s => Assert.True(s is { } v && double.IsFinite(v)));
        Assert.Equal(first, again);
        Assert.True(first.Distinct().Count() > 1, $"scores {string.Join(", ", first)}");
        Assert.Equal((8, scorer.Spent.Elapsed), (scorer.Spent.Count, scorer.Spent.Elapsed));
    }

    [Fact]
    public void A_point_the_bounds_reject_gets_no_score_and_builds_nothing()
    {
        // A bound no network of the space meets.
        var tight = new SearchSpaceReader().Parse(File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn-tiny"))
            .Replace("\"maxParams\": 200000", "\"maxParams\": 10", StringComparison.Ordinal), "tight.json");
        var guard = new ComplexityGuard(tight, 1, 10, 28, 28);
        using var scorer = new ZeroCostScorer(tight, guard, data, ZeroCostProxy.Naswot, seed: 3, defaultResolution: 28);

        Assert.Null(scorer.Score(tight.Sample(new SearchRandom(2))));
        Assert.Equal(0, scorer.Spent.Count);
    }

    [Fact]
    public void The_warm_up_is_reported_every_so_many_scores()
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var reports = new List<int>();
        using var scorer = new ZeroCostScorer(space, guard, data, ZeroCostProxy.Parameters, seed: 3, defaultResolution: 28)
        {
            ProgressEvery = 3,
            Progress = (count, _) => reports.Add(count),
        };
        var random = new SearchRandom(4);

        for (var i = 0; i < 7; i++)
        {
            scorer.Score(space.Sample(random));
        }

        Assert.Equal([3, 6], reports);
    }

    [Fact]
    public void The_pool_is_a_share_of_a_time_budget_within_bounds()
    {
        Assert.Equal(100, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, WallTimeSeconds = 180 }));
        Assert.Equal(900, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, WallTimeSeconds = 3600 }));
        Assert.Equal(1000, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, WallTimeSeconds = 36_000 }));
        Assert.Equal(100, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, MaxTrials = 3 }));
        Assert.Equal(500, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, MaxTrials = 20 }));
        Assert.Equal(ProxySeededEvolution.DefaultPoolSize, ZeroCostScorer.PoolSize(new SearchPlan { Resolution = 28, MaxEpochs = 40 }));
    }
}
