using AutoNet.Scheduling.Experiments;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Tests.Experiments;

public sealed class SupernetScorerTests : IDisposable
{
    private readonly RandomTrialData randomImages = new(160);
    private readonly SearchSpace space = SearchSpaceCatalog.Default.Resolve("macro-cnn-tiny");

    private TrialData data => randomImages.Data;

    public void Dispose() => randomImages.Dispose();

    [Fact]
    public void The_same_seed_trains_the_same_supernet_and_judges_alike()
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var random = new SearchRandom(1);
        var points = Enumerable.Range(0, 4).Select(_ => space.Sample(random)).ToArray();
        double?[] Scores()
        {
            using var scorer = new SupernetScorer(space, guard, data, seed: 3, defaultResolution: 28, new SupernetBudget(null, 2),
                evaluationImages: 100);
            var scores = points.Select(scorer.Score).ToArray();
            Assert.Equal(2 * (160 / 64), scorer.Spent.Steps);
            Assert.Equal(4, scorer.Spent.Scored);
            Assert.True(scorer.Weights.Count > 0);
            return scores;
        }

        var first = Scores();
        var again = Scores();

        Assert.All(first, s => Assert.True(s is >= 0 and <= 1, $"score {s}"));
        Assert.Equal(first, again);
    }

    [Fact]
    public void A_point_the_bounds_reject_gets_no_score_and_nothing_is_trained_for_it()
    {
        var tight = new SearchSpaceReader().Parse(File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn-tiny"))
            .Replace("\"maxParams\": 200000", "\"maxParams\": 10", StringComparison.Ordinal), "tight.json");
        var guard = new ComplexityGuard(tight, 1, 10, 28, 28);
        using var scorer = new SupernetScorer(tight, guard, data, seed: 3, defaultResolution: 28, new SupernetBudget(null, 1));

        Assert.Null(scorer.Score(tight.Sample(new SearchRandom(2))));
        Assert.Equal(0, scorer.Spent.Steps);
        // Asked to train anyway, it names why no path can be trained.
        Assert.Contains("complexity bounds", Assert.Throws<InvalidOperationException>(() => scorer.Train()).Message);
    }

    [Fact]
    public void Training_is_reported_in_lines_a_person_reads()
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var lines = new List<string>();
        using var scorer = new SupernetScorer(space, guard, data, seed: 3, defaultResolution: 28, new SupernetBudget(null, 1)) { Progress = lines.Add };

        scorer.Train();
        scorer.Train();

        Assert.Equal(2, scorer.Spent.Steps);
        Assert.Contains(lines, l => l.StartsWith("one-shot: training a weight-sharing supernet of macro-cnn-tiny for 1 epochs", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("one-shot: supernet trained, 2 steps", StringComparison.Ordinal));
    }

    [Fact]
    public void A_transfer_space_is_refused_naming_the_kind_of_space()
    {
        var transfer = SearchSpaceCatalog.Default.Resolve("transfer");
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);

        var error = Assert.Throws<ArgumentException>(() => new SupernetScorer(transfer, guard, data, 1, 28, new SupernetBudget(null, 1)));

        Assert.Contains("transfer space", error.Message);
    }

    [Theory]
    [InlineData(3600.0, null, 1080.0, null)]
    [InlineData(20.0, null, 10.0, null)]
    [InlineData(null, 12, null, 3.0)]
    [InlineData(null, 100, null, 10.0)]
    [InlineData(null, 2, null, 1.0)]
    [InlineData(null, null, null, 3.0)]
    public void The_supernet_gets_a_share_of_the_search_budget(double? seconds, int? trials, double? expectedSeconds, double? expectedEpochs)
    {
        var budget = SupernetBudget.For(new SearchPlan { Resolution = 28, WallTimeSeconds = seconds, MaxTrials = trials });

        Assert.Equal(expectedSeconds, budget.Time?.TotalSeconds);
        Assert.Equal(expectedEpochs, budget.Epochs);
    }

    [Fact]
    public void A_resumed_search_reloads_its_trained_supernet_instead_of_training_again()
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var folder = Directory.CreateTempSubdirectory("autonet-supernet-");
        try
        {
            var file = Path.Join(folder.FullName, "experiments", "e", "supernet.bin");
            var random = new SearchRandom(7);
            var points = Enumerable.Range(0, 3).Select(_ => space.Sample(random)).ToArray();
            double?[] first;
            using (var trained = new SupernetScorer(space, guard, data, 3, 28, new SupernetBudget(null, 2)) { WeightsFile = file })
            {
                first = points.Select(trained.Score).ToArray();
                Assert.Equal(4, trained.Spent.Steps);
            }

            var lines = new List<string>();
            using var reloaded = new SupernetScorer(space, guard, data, 3, 28, new SupernetBudget(null, 2)) { WeightsFile = file, Progress = lines.Add };

            Assert.Equal(first, points.Select(reloaded.Score).ToArray());
            Assert.Equal(0, reloaded.Spent.Steps);
            Assert.Contains(lines, l => l.Contains("reloaded from", StringComparison.Ordinal));
            Assert.False(File.Exists(file + ".partial"));

            // Another seed's search does not take it: it trains its own and says why.
            lines.Clear();
            using var other = new SupernetScorer(space, guard, data, 4, 28, new SupernetBudget(null, 1)) { WeightsFile = file, Progress = lines.Add };
            other.Train();
            Assert.Equal(2, other.Spent.Steps);
            Assert.Contains(lines, l => l.Contains("seed 3", StringComparison.Ordinal) && l.Contains("training the supernet again", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_damaged_supernet_file_is_trained_again_with_the_reason_and_rewritten()
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var folder = Directory.CreateTempSubdirectory("autonet-supernet-");
        try
        {
            var file = Path.Join(folder.FullName, "supernet.bin");
            using (var trained = new SupernetScorer(space, guard, data, 3, 28, new SupernetBudget(null, 1)) { WeightsFile = file })
            {
                trained.Train();
            }

            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
            var lines = new List<string>();
            using var scorer = new SupernetScorer(space, guard, data, 3, 28, new SupernetBudget(null, 1)) { WeightsFile = file, Progress = lines.Add };

            scorer.Train();

            Assert.Equal(2, scorer.Spent.Steps);
            Assert.Contains(lines, l => l.Contains("cannot be read as a saved supernet", StringComparison.Ordinal));
            Assert.Equal(bytes.Length, new FileInfo(file).Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
