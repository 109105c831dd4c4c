using System.Globalization;
using System.Text.Json.Nodes;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// Bounds a search's networks by what its final training can afford, before the search starts. The winner is trained
/// again on every training image for the plan's final-training time; a network whose epoch on all of them takes a fifth
/// of that time gets five epochs and stays far from what it would reach with more (measured: a 1.4 M-parameter winner
/// of the reference hour had 4 epochs and scored 92.7 %, a 0.6 M-parameter one 11 epochs and 93.5 %). Zero-cost
/// proxies make this worse, as they favour large networks. So the space's <c>maxFlops</c> is lowered to the networks
/// that can train <see cref="MinEpochs"/> epochs in the final training, the time per multiply-add taken from the
/// timing probe's architectures. The bound never keeps less than <see cref="MinShareKept"/> of the space's networks
/// (counted on <see cref="SampledArchitectures"/> seeded draws), so the search always has a space to search.
/// </summary>
/// <param name="MaxFlops">The new bound, in FLOPs (twice the multiply-adds).</param>
/// <param name="SpaceJson">The space with the bound written into it.</param>
/// <param name="Reason">One line for the terminal: what was measured and bounded.</param>
/// <param name="SecondsPerImagePerMultiplyAdd">The training speed the bound came from (the median probe's).</param>
public sealed record FinalTrainingFit(long MaxFlops, string SpaceJson, string Reason, double SecondsPerImagePerMultiplyAdd)
{
    /// <summary>Epochs of final training the winner should have at least (the reference's schedule needed about ten).</summary>
    public const int MinEpochs = 10;

    /// <summary>
    /// The shortest final training that is bounded. A final training of a few minutes only suits the small, fast
    /// networks of short searches, whose time per image is mostly fixed costs that the time per multiply-add (a ratio)
    /// charges to their size. Measured on the demo (2 minutes of final training on Fashion-MNIST): bounded to 4 M FLOPs,
    /// its winner trained 8 epochs and scored 88.4 %; unbounded, 7 epochs and 91.5 %.
    /// </summary>
    public static readonly TimeSpan MinFinalTraining = TimeSpan.FromMinutes(10);

    /// <summary>Draws of the space that stand for its networks when the bound's share is counted.</summary>
    public const int SampledArchitectures = 200;

    /// <summary>The smallest share of the space's networks the bound keeps.</summary>
    public const double MinShareKept = 0.2;

    /// <summary>
    /// The bound for a final training of <paramref name="finalTraining"/> on <paramref name="fullShape"/> (every
    /// training and validation image), from the time per multiply-add of <paramref name="probes"/>; null when every
    /// network of the space already affords <see cref="MinEpochs"/> epochs, the final training is shorter than
    /// <see cref="MinFinalTraining"/>, or the networks' multiply-adds cannot be counted (transfer spaces).
    /// </summary>
    public static FinalTrainingFit? Plan(SearchSpace space, string spaceJson, TrialDataShape fullShape, TimeSpan finalTraining,
        IReadOnlyList<ProbedArchitecture> probes, long seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(spaceJson);
        ArgumentNullException.ThrowIfNull(fullShape);
        ArgumentNullException.ThrowIfNull(probes);
        if (finalTraining < MinFinalTraining)
        {
            return null;
        }

        var rates = probes.Where(p => p.MultiplyAdds > 0).Select(p => p.SecondsPerImage / p.MultiplyAdds!.Value).Order().ToList();
        var counted = CountedMultiplyAdds(space, fullShape, seed);
        if (rates.Count == 0 || counted.Count == 0)
        {
            return null;
        }

        // Seconds of a final epoch per multiply-add of the network (the median probe's speed).
        var rate = rates[rates.Count / 2];
        var epochSecondsPerMultiplyAdd = TrialLengthFit.EpochSeconds(rate, fullShape);
        var affordable = (long)(finalTraining.TotalSeconds / MinEpochs / epochSecondsPerMultiplyAdd);
        if (affordable >= counted[^1])
        {
            return null;
        }

        var floor = counted[Math.Min(counted.Count - 1, (int)Math.Ceiling(MinShareKept * counted.Count) - 1)];
        var bound = Math.Max(affordable, floor);
        var kept = counted.Count(m => m <= bound);
        var maxFlops = 2 * bound;
        var epochs = (int)Math.Max(1, Math.Round(finalTraining.TotalSeconds / (epochSecondsPerMultiplyAdd * bound)));
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"network size: at most {maxFlops / 1e6:F0} M FLOPs (the space allows {Describe(space.MaxFlops)}) so that the winner trains {(bound > affordable ? $"{epochs} epoch{(epochs == 1 ? string.Empty : "s")}" : $"{MinEpochs} or more epochs")} on all {fullShape.TrainImages:N0} training images in the {Durations(finalTraining)} of final training (about {epochSecondsPerMultiplyAdd * 1e6:F1} s per epoch per million multiply-adds here); {kept * 100 / counted.Count} % of the space's networks are that small");
        return new FinalTrainingFit(maxFlops, CapFlops(spaceJson, maxFlops), reason, rate);
    }

    /// <summary>The space JSON with <c>maxFlops</c> lowered to <paramref name="maxFlops"/> (a lower bound already there is kept).</summary>
    public static string CapFlops(string spaceJson, long maxFlops)
    {
        ArgumentNullException.ThrowIfNull(spaceJson);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFlops, 1);
        var root = JsonNode.Parse(spaceJson)?.AsObject() ?? throw new ArgumentException("the space JSON is not an object", nameof(spaceJson));
        if (root["maxFlops"] is JsonValue existing && existing.GetValue<long>() <= maxFlops)
        {
            return spaceJson;
        }

        root["maxFlops"] = maxFlops;
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The multiply-adds of seeded draws of the space within its bounds, ascending.</summary>
    private static List<long> CountedMultiplyAdds(SearchSpace space, TrialDataShape shape, long seed)
    {
        if (space.Kind == SearchSpaceKind.Transfer)
        {
            return [];
        }

        var guard = new ComplexityGuard(space, shape.Channels, shape.Classes, shape.Resolution, shape.Resolution);
        var random = new SearchRandom(seed);
        var counted = new List<long>();
        for (var draw = 0; draw < SampledArchitectures * 4 && counted.Count < SampledArchitectures; draw++)
        {
            if (guard.Check(space.Sample(random), out var complexity) is null && complexity is { } size)
            {
                counted.Add(size.MultiplyAdds);
            }
        }

        counted.Sort();
        return counted;
    }

    private static string Describe(long? flops) => flops is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f / 1e6:F0} M") : "any size";

    private static string Durations(TimeSpan time) => time.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalMinutes:F0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:F0} s");
}
