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

    private static SearchSpace WithMaxParams(string name, long maxParams)
    {
        var text = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath(name));
        var edited = System.Text.RegularExpressions.Regex.Replace(text, "\"maxParams\": \\d+", $"\"maxParams\": {maxParams}");
        Assert.NotEqual(text, edited);
        return TestSpaces.Parse(edited);
    }
}
