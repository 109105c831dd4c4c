using System.Globalization;
using AutoNet.Scheduling.Experiments;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>The search's networks bounded by what the final training of its winner can afford.</summary>
public sealed class FinalTrainingFitTests
{
    private static readonly TrialDataShape AllImages = new(Channels: 1, Classes: 10, Resolution: 28, TrainImages: 50_000, ValidationImages: 5_000);

    private static readonly string Json = File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn-small-images"));

    private static readonly SearchSpace Space = new SearchSpaceReader().Parse(Json, "macro-cnn-small-images");

    // Two probes at 20 ps per image per multiply-add (the median of the two is the slower), one that cannot be counted.
    private static readonly ProbedArchitecture[] Probes = [new(1e-3, 50_000_000), new(4e-4, 25_000_000), new(1e-3, null)];

    [Fact]
    public void A_final_training_too_short_for_the_largest_networks_bounds_the_space_so_the_winner_trains_ten_epochs()
    {
        var fit = FinalTrainingFit.Plan(Space, Json, AllImages, TimeSpan.FromMinutes(12), Probes, seed: 0)!;

        Assert.Equal(1e-3 / 50_000_000, fit.SecondsPerImagePerMultiplyAdd);
        var epochSeconds = TrialLengthFit.EpochSeconds(fit.SecondsPerImagePerMultiplyAdd * (fit.MaxFlops / 2), AllImages);
        Assert.InRange(epochSeconds * FinalTrainingFit.MinEpochs, 710, 720.001);
        Assert.True(fit.MaxFlops < Space.MaxFlops, fit.Reason);
        var bounded = new SearchSpaceReader().Parse(fit.SpaceJson, "bounded");
        Assert.Equal(fit.MaxFlops, bounded.MaxFlops);
        Assert.Equal(Space.MaxParams, bounded.MaxParams);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"network size: at most {fit.MaxFlops / 1e6:F0} M FLOPs"), fit.Reason, StringComparison.Ordinal);
        Assert.Contains("trains 10 or more epochs on all 50,000 training images in the 12 min of final training", fit.Reason, StringComparison.Ordinal);

        // Every network the bounded space lets through affords the ten epochs; some of the space's networks did not.
        var (before, after) = (Multiplies(Space), Multiplies(bounded));
        Assert.All(after, m => Assert.True(TrialLengthFit.EpochSeconds(2e-11 * m, AllImages) * FinalTrainingFit.MinEpochs <= 720.001));
        Assert.Contains(before, m => TrialLengthFit.EpochSeconds(2e-11 * m, AllImages) * FinalTrainingFit.MinEpochs > 720);
    }

    [Fact]
    public void A_final_training_that_affords_every_network_or_is_only_minutes_long_leaves_the_space_alone()
    {
        Assert.Null(FinalTrainingFit.Plan(Space, Json, AllImages, TimeSpan.FromHours(10), Probes, seed: 0));
        Assert.Null(FinalTrainingFit.Plan(Space, Json, AllImages, TimeSpan.FromMinutes(20), [new ProbedArchitecture(1e-3, null)], seed: 0));
        // A final training of a few minutes is left to the networks that suit it, however slow the probes.
        Assert.Null(FinalTrainingFit.Plan(Space, Json, AllImages, FinalTrainingFit.MinFinalTraining - TimeSpan.FromSeconds(1), [new(1, 1_000)], seed: 0));
    }

    [Fact]
    public void A_device_too_slow_for_almost_any_network_still_keeps_a_fifth_of_the_space_and_says_how_few_epochs_it_gets()
    {
        var fit = FinalTrainingFit.Plan(Space, Json, AllImages, FinalTrainingFit.MinFinalTraining, [new ProbedArchitecture(3e-2, 50_000_000)], seed: 0)!;

        var bounded = new SearchSpaceReader().Parse(fit.SpaceJson, "bounded");
        var (before, after) = (Multiplies(Space), Multiplies(bounded));
        Assert.InRange(after.Count, FinalTrainingFit.MinShareKept * before.Count * 0.5, before.Count);
        Assert.Matches(@"so that the winner trains [0-9] epochs? on all 50,000", fit.Reason);
        Assert.Contains("% of the space's networks are that small", fit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lower_bound_already_in_the_space_is_kept()
    {
        Assert.Equal(Json, FinalTrainingFit.CapFlops(Json, Space.MaxFlops!.Value + 1));
        var lowered = new SearchSpaceReader().Parse(FinalTrainingFit.CapFlops(Json, 1_000_000), "lowered");
        Assert.Equal(1_000_000, lowered.MaxFlops);
    }

    /// <summary>Multiply-adds of 300 seeded draws of <paramref name="space"/> within its bounds.</summary>
    private static List<long> Multiplies(SearchSpace space)
    {
        var guard = new ComplexityGuard(space, 1, 10, 28, 28);
        var random = new SearchRandom(3);
        var counted = new List<long>();
        for (var i = 0; i < 300; i++)
        {
            if (guard.Check(space.Sample(random), out var complexity) is null && complexity is { } size)
            {
                counted.Add(size.MultiplyAdds);
            }
        }

        return counted;
    }
}
