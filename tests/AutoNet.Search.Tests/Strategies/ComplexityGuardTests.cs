using AutoNet.Models.Cells;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class ComplexityGuardTests
{
    [Fact]
    public void Samples_over_a_tight_max_params_are_told_as_failures_and_asked_again()
    {
        var space = WithMaxParams("darts", 60_000);
        var guard = new ComplexityGuard(space, inputChannels: 1, numClasses: 10, imageHeight: 28, imageWidth: 28);
        var recorder = new RecordingStrategy(new RandomSearch(space, 3));
        var rejected = 0;
        for (var i = 0; i < 10; i++)
        {
            var guarded = guard.Ask(recorder)!;
            rejected += guarded.Rejected;
            Assert.InRange(guarded.Complexity!.Parameters, 1, 60_000);
            Assert.Equal(CellNetwork.Complexity(SampleConversions.ToGenotype(space, guarded.Sample),
                SampleConversions.ToCellNetworkSettings(space, guarded.Sample, 1, 10),
                guarded.Sample.GetInt32(SpaceLabels.InputResolution), guarded.Sample.GetInt32(SpaceLabels.InputResolution)), guarded.Complexity);
            Assert.Equal(2 * guarded.Complexity.MultiplyAdds, guarded.Flops);
        }

        Assert.True(rejected > 0, "the bound rejected nothing, so the test proves nothing");
        Assert.Equal(rejected, recorder.Told.Count);
        Assert.All(recorder.Told, t => Assert.Null(t.Score));
        Assert.All(recorder.Told, t => Assert.Contains("over the space's maxParams", guard.Check(t.Sample, out _), StringComparison.Ordinal));
    }

    [Fact]
    public void A_bound_no_sample_can_meet_stops_the_search_with_an_error_naming_it()
    {
        var space = WithMaxParams("macro-cnn", 10);
        var guard = new ComplexityGuard(space, 1, 10, 28, 28, maxTries: 20);
        var recorder = new RecordingStrategy(new RandomSearch(space, 1));

        var error = Assert.Throws<InvalidOperationException>(() => guard.Ask(recorder));

        Assert.Contains("maxParams 10", error.Message);
        Assert.Contains("over the space's maxParams", error.Message);
        Assert.Equal(20, recorder.Told.Count);
    }

    [Fact]
    public void The_learning_strategies_see_rejections_as_failures()
    {
        var space = WithMaxParams("macro-cnn", 200_000);
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var evolution = new RegularizedEvolution(space, 5, populationSize: 4, sampleSize: 2);
        for (var i = 0; i < 12; i++)
        {
            var guarded = guard.Ask(evolution)!;
            evolution.Tell(guarded.Sample, 0.5);
        }

        Assert.All(evolution.Population, m => Assert.Null(guard.Check(m.Sample, out _)));
    }

    [Fact]
    public void A_resolution_fixed_by_the_space_is_the_one_counted()
    {
        var text = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn"));
        var edited = System.Text.RegularExpressions.Regex.Replace(text, ",\\s*\"input_resolution\": \\{[^}]*\\}", string.Empty)
            .Replace("\"maxFlops\": 600000000,", "\"maxFlops\": 600000000,\n  \"fixed\": {\"input_resolution\": 16},", StringComparison.Ordinal);
        var space = TestSpaces.Parse(edited);
        Assert.False(space.TryGetDecision(SpaceLabels.InputResolution, out _));
        var sample = space.Sample(new SearchRandom(2));
        var config = SampleConversions.ToMacroCnnConfig(space, sample, 1, 10);

        var counted = new ComplexityGuard(space, 1, 10, 28, 28).Measure(sample);

        Assert.Equal(AutoNet.Models.MacroCnn.MacroCnnNetwork.Complexity(config, 16, 16), counted);
        Assert.NotEqual(AutoNet.Models.MacroCnn.MacroCnnNetwork.Complexity(config, 28, 28), counted);
    }

    [Fact]
    public void A_transfer_sample_is_bounded_by_the_parameters_of_its_built_backbone_and_head()
    {
        // ResNet-18's features are 11.2 M parameters, ResNet-34's 21.3 M and ResNet-50's 23.5 M: 15 M splits them.
        var space = WithMaxParams("transfer", 15_000_000);
        var guard = new ComplexityGuard(space, inputChannels: 1, numClasses: 5, imageHeight: 32, imageWidth: 32);
        var verdicts = new Dictionary<string, bool>();
        var random = new SearchRandom(5);
        for (var i = 0; i < 40 && verdicts.Count < 3; i++)
        {
            var sample = space.Sample(random);
            var backbone = sample.GetString(SpaceLabels.Backbone);
            if (backbone.StartsWith("resnet", StringComparison.Ordinal) && !verdicts.ContainsKey(backbone))
            {
                verdicts[backbone] = guard.Check(sample, out _) is null;
            }
        }

        Assert.True(verdicts["resnet18"]);
        Assert.False(verdicts["resnet34"]);
        Assert.False(verdicts["resnet50"]);
    }

    [Fact]
    public void A_max_flops_on_a_transfer_space_is_refused_rather_than_ignored()
    {
        var text = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("transfer"));
        var space = TestSpaces.Parse(text.Replace("\"maxParams\": 30000000,", "\"maxParams\": 30000000, \"maxFlops\": 1000000000,", StringComparison.Ordinal));

        var error = Assert.Throws<ArgumentException>(() => new ComplexityGuard(space, 3, 10, 32, 32));
        Assert.Contains("maxFlops", error.Message, StringComparison.Ordinal);
        Assert.Contains("transfer", error.Message, StringComparison.Ordinal);
    }

    private static SearchSpace WithMaxParams(string name, long maxParams)
    {
        var text = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath(name));
        var edited = System.Text.RegularExpressions.Regex.Replace(text, "\"maxParams\": \\d+", $"\"maxParams\": {maxParams}");
        Assert.NotEqual(text, edited);
        return TestSpaces.Parse(edited);
    }
}
