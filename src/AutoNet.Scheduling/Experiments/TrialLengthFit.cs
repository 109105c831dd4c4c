using System.Globalization;
using System.Text.Json.Nodes;
using AutoNet.Scheduling.Trials;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// Fits how long a trial may train to a search's wall-clock budget, before the search starts. A space's
/// <c>hp/epochs</c> range is written for no particular machine or data set (macro-cnn: 5 to 40 epochs); on a CPU and a
/// short budget such trials cannot finish, and a search whose every trial was cut off by the budget has no trained
/// model to hand over. So a few architectures sampled from the space are timed on this device for a handful of
/// training steps; from the median speed, the training images and the validation images follows the time of one epoch
/// of a typical candidate, and a full trial may take at most <see cref="BudgetShare"/> of the budget. The space's epoch
/// range (and the warm-up and head-only epochs that must fit inside it) is capped there; the capped space is what the
/// experiment stores, so strategies, ASHA's rungs, resumed searches and remote workers all see the same range.
/// </summary>
/// <param name="MaxEpochs">The most epochs a trial may now train.</param>
/// <param name="SecondsPerEpoch">The estimated time of one epoch of a typical candidate here.</param>
/// <param name="SpaceJson">The space with its epoch range capped (unchanged when the range already fits).</param>
/// <param name="Reason">One line for the terminal saying what was measured and chosen.</param>
public sealed record TrialLengthFit(int MaxEpochs, double SecondsPerEpoch, string SpaceJson, string Reason)
{
    /// <summary>
    /// The share of the wall-clock budget one full trial may take: early stopping needs several trials to compare at
    /// each rung (η = 3) for every one it lets finish, so a quarter leaves room for a few finished trials and many short ones.
    /// </summary>
    public const double BudgetShare = 0.25;

    /// <summary>Architectures timed; their median speed stands for the space (and their speed per multiply-add, for <see cref="FinalTrainingFit"/>).</summary>
    public const int ProbedArchitectures = 5;

    private static readonly string[] InsideEpochs = ["warmup_epochs", "head_only_epochs"];

    /// <summary>
    /// Times the space on <paramref name="shape"/> and caps its epochs to fit <paramref name="wallTime"/>; null when the
    /// space searches no <c>hp/epochs</c> or no sampled architecture could be built. A transfer space's networks come
    /// from <paramref name="transfer"/> as its trials' do.
    /// </summary>
    public static TrialLengthFit? Plan(SearchSpace space, string spaceJson, TrialDataShape shape, TimeSpan wallTime, long seed, Device device,
        TransferSources? transfer = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        var probes = Probe(space, shape, seed, device, transfer);
        return probes.Count == 0 ? null : Plan(space, spaceJson, shape, wallTime, MedianSecondsPerImage(probes));
    }

    /// <summary>
    /// Caps the space's epochs so that a full trial of a typical candidate, training at <paramref name="secondsPerImage"/>
    /// on <paramref name="shape"/>, takes at most <see cref="BudgetShare"/> of <paramref name="wallTime"/>; null when
    /// the space searches no <c>hp/epochs</c>.
    /// </summary>
    public static TrialLengthFit? Plan(SearchSpace space, string spaceJson, TrialDataShape shape, TimeSpan wallTime, double secondsPerImage)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(spaceJson);
        ArgumentNullException.ThrowIfNull(shape);
        if (!space.TryGetDecision(SpaceLabels.Epochs, out var epochs) || UpperEpochs(epochs) is not { } spaceMax)
        {
            return null;
        }

        var secondsPerEpoch = EpochSeconds(secondsPerImage, shape);
        var fits = (int)Math.Clamp(Math.Floor(BudgetShare * wallTime.TotalSeconds / secondsPerEpoch), 1, int.MaxValue);
        var cap = Math.Min(fits, spaceMax);
        var measured = string.Create(CultureInfo.InvariantCulture,
            $"an epoch of a typical candidate takes about {Format(secondsPerEpoch)} here ({ProbedArchitectures} architectures timed on {shape.TrainImages:N0} training and {shape.ValidationImages:N0} validation images)");
        if (cap >= spaceMax)
        {
            return new TrialLengthFit(spaceMax, secondsPerEpoch, spaceJson,
                string.Create(CultureInfo.InvariantCulture, $"trial length: the space's {spaceMax} epochs fit the budget; {measured}"));
        }

        // The space's epoch grid may not reach the cap itself (5 to 40 in steps of 5, capped at 11, ends at 10).
        var capped = CapEpochs(spaceJson, cap);
        var longest = new SearchSpaceReader().Parse(capped, space.Name).TryGetDecision(SpaceLabels.Epochs, out var fitted) ? UpperEpochs(fitted) ?? cap : cap;
        return new TrialLengthFit(longest, secondsPerEpoch, capped,
            string.Create(CultureInfo.InvariantCulture,
                $"trial length: at most {longest} epoch{(longest == 1 ? string.Empty : "s")} (the space allows {spaceMax}): {measured}, and a full trial may take a quarter of the {Format(wallTime.TotalSeconds)} budget so that several finish"));
    }

    /// <summary>The time of one epoch (training pass, validation pass with the test-time flip, bookkeeping) at <paramref name="secondsPerImage"/> of training.</summary>
    public static double EpochSeconds(double secondsPerImage, TrialDataShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        // A validation pass is a forward pass (a third of a training step), twice with the test-time flip. Nothing is
        // added for augmentation and batch assembly: the timed steps on a random batch already take as long per image as
        // the trainer's whole epoch. Measured: the reference hour's winner timed at 115-129 s per 53,330 images, and its
        // epochs with validation took 115-122 s; with 20 % added for such overhead, the hour's epochs were predicted 1.5x
        // too long (47 s against 26-38 s in the search, 176 s against 117 s in the final training) and the demo's 1.25x.
        return secondsPerImage * (shape.TrainImages + (2.0 / 3.0 * shape.ValidationImages));
    }

    /// <summary>The median training time per image of the probed architectures.</summary>
    public static double MedianSecondsPerImage(IReadOnlyList<ProbedArchitecture> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentOutOfRangeException.ThrowIfZero(probes.Count);
        var times = probes.Select(p => p.SecondsPerImage).Order().ToList();
        return times[times.Count / 2];
    }

    /// <summary>
    /// The space JSON with <c>hyperparameters.epochs</c> limited to <paramref name="cap"/> (keeping its grid where
    /// possible), and the warm-up and head-only epochs limited to the smallest epoch count left, which they must not exceed.
    /// </summary>
    public static string CapEpochs(string spaceJson, int cap)
    {
        ArgumentNullException.ThrowIfNull(spaceJson);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var root = JsonNode.Parse(spaceJson)?.AsObject() ?? throw new ArgumentException("the space JSON is not an object", nameof(spaceJson));
        if (root["hyperparameters"] is not JsonObject hyperparameters || hyperparameters["epochs"] is not JsonObject epochs)
        {
            return spaceJson;
        }

        long lowest;
        if (epochs["choices"] is JsonArray choices)
        {
            var kept = choices.Select(c => c!.GetValue<long>()).Where(c => c <= cap).ToList();
            if (kept.Count == 0)
            {
                kept.Add(cap);
            }

            epochs["choices"] = new JsonArray([.. kept.Select(k => (JsonNode)JsonValue.Create(k))]);
            lowest = kept.Min();
        }
        else
        {
            var low = epochs["low"]!.GetValue<long>();
            var step = epochs["step"]?.GetValue<long>() ?? 1;
            if (low > cap)
            {
                (low, step) = (cap, 1);
                epochs.Remove("log");
            }

            epochs["low"] = low;
            epochs["high"] = low + ((cap - low) / step * step);
            if (epochs.ContainsKey("step"))
            {
                epochs["step"] = step;
            }

            lowest = low;
        }

        foreach (var name in InsideEpochs)
        {
            if (hyperparameters[name] is JsonObject inside && inside["high"] is not null && inside["high"]!.GetValue<long>() > lowest)
            {
                inside["high"] = lowest;
                inside["low"] = Math.Min(inside["low"]!.GetValue<long>(), lowest);
                inside.Remove("step");
            }
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static int? UpperEpochs(SearchParameter epochs) => epochs switch
    {
        IntParameter p => (int)p.High,
        CategoricalParameter c => c.Choices.Max(v => v.AsInt32()),
        _ => null,
    };

    /// <summary>
    /// Trains <see cref="ProbedArchitectures"/> seeded draws of the space (within its bounds) for a few steps each on
    /// <paramref name="device"/>; empty when none could be built.
    /// </summary>
    public static IReadOnlyList<ProbedArchitecture> Probe(SearchSpace space, TrialDataShape shape, long seed, Device device, TransferSources? transfer = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(shape);
        var random = new SearchRandom(seed);
        var probes = new List<ProbedArchitecture>();
        for (var attempt = 0; attempt < ProbedArchitectures * 4 && probes.Count < ProbedArchitectures; attempt++)
        {
            var sample = space.Sample(random);
            TrialBlueprint blueprint;
            try
            {
                blueprint = TrialBlueprint.FromSample(space, sample, shape.Channels, shape.Classes, seed, shape.Resolution, transfer);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (blueprint.Complexity is { } complexity && space.CheckBounds(complexity) is not null)
            {
                // Over the space's parameter or FLOP bound: the search would never train it either.
                continue;
            }

            using var model = blueprint.BuildModel();
            model.to(device);
            probes.Add(new ProbedArchitecture(
                TrainingSpeedMeter.SecondsPerImage(model, blueprint.Hyperparameters, shape.Channels, blueprint.Resolution, blueprint.Resolution, shape.Classes, device),
                blueprint.Complexity?.MultiplyAdds));
        }

        return probes;
    }

    internal static string Format(double seconds) => seconds >= 90
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:F0} s");
}
