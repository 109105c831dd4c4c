using AutoNet.Search.Spaces;
using AutoNet.Training;

namespace AutoNet.Scheduling.Trials;

/// <summary>
/// The training recipe of a search sample: every <c>hp/</c> decision the sample has (or the space fixes) overrides
/// the trainer's default recipe; what a space does not search keeps the default. Values outside what training
/// accepts are refused by <see cref="TrainingHyperparameters.Validate"/> with the field named.
/// </summary>
public static class SampleHyperparameters
{
    public static TrainingHyperparameters ToTraining(SearchSpace space, SearchSample sample, long seed, TrainingHyperparameters? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(sample);
        var lookup = new Lookup(space, sample);
        var result = defaults ?? new TrainingHyperparameters();
        result = result with
        {
            Optimizer = lookup.String(SpaceLabels.Optimizer) is { } optimizer ? ParseOptimizer(optimizer) : result.Optimizer,
            LearningRate = lookup.Double(SpaceLabels.LearningRate) ?? result.LearningRate,
            WeightDecay = lookup.Double(SpaceLabels.WeightDecay) ?? result.WeightDecay,
            Momentum = lookup.Double(SpaceLabels.Momentum) ?? result.Momentum,
            BatchSize = lookup.Int(SpaceLabels.BatchSize) ?? result.BatchSize,
            Epochs = lookup.Int(SpaceLabels.Epochs) ?? result.Epochs,
            LabelSmoothing = lookup.Double(SpaceLabels.LabelSmoothing) ?? result.LabelSmoothing,
            AugmentStrength = lookup.Double(SpaceLabels.AugmentStrength) ?? result.AugmentStrength,
            DropPath = lookup.Double(SpaceLabels.DropPath) ?? result.DropPath,
            Schedule = lookup.String(SpaceLabels.Schedule) is { } schedule ? ParseSchedule(schedule) : result.Schedule,
            WarmupEpochs = lookup.Double(SpaceLabels.WarmupEpochs) ?? result.WarmupEpochs,
            HeadOnlyEpochs = lookup.Int(SpaceLabels.HeadOnlyEpochs) ?? result.HeadOnlyEpochs,
            UnfreezeLearningRateMultiplier = lookup.Double(SpaceLabels.UnfreezeLrMultiplier) ?? result.UnfreezeLearningRateMultiplier,
            Seed = seed,
        };

        // A short budget cannot spend most of itself warming up: warm-up is capped at a third of the epochs.
        result = result with { WarmupEpochs = Math.Min(result.WarmupEpochs, Math.Floor(result.Epochs / 3.0)) };

        // Likewise the head-only phase of a transfer trial leaves at least one epoch to fine-tune in.
        result = result with { HeadOnlyEpochs = Math.Min(result.HeadOnlyEpochs, Math.Max(0, result.Epochs - 1)) };
        result.Validate();
        return result;
    }

    /// <summary>The input resolution the sample trains at: its <c>hp/input_resolution</c>, or <paramref name="fallback"/>.</summary>
    public static int Resolution(SearchSpace space, SearchSample sample, int fallback) =>
        new Lookup(space, sample).Int(SpaceLabels.InputResolution) ?? fallback;

    private static OptimizerKind ParseOptimizer(string name) => name switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new ArgumentException($"'{SpaceLabels.Optimizer}' is \"{name}\"; expected sgd or adamw"),
    };

    private static LearningRateSchedule ParseSchedule(string name) => name switch
    {
        "cosine" => LearningRateSchedule.Cosine,
        "one_cycle" => LearningRateSchedule.OneCycle,
        "constant" => LearningRateSchedule.Constant,
        _ => throw new ArgumentException($"'{SpaceLabels.Schedule}' is \"{name}\"; expected cosine, one_cycle or constant"),
    };

    private readonly struct Lookup(SearchSpace space, SearchSample sample)
    {
        public string? String(string label) => Find(label) is { } value ? Typed(label, value, value.AsString) : null;

        public double? Double(string label) => Find(label) is { } value ? Typed(label, value, value.AsDouble) : null;

        public int? Int(string label) => Find(label) is { } value ? Typed(label, value, value.AsInt32) : null;

        /// <summary>A stored or hand-written sample may hold a value of another kind than its decision: the error names the label.</summary>
        private static T Typed<T>(string label, ParameterValue value, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is InvalidOperationException or OverflowException)
            {
                throw new ArgumentException($"'{label}' is {value.ToJson()}: {e.Message}", e);
            }
        }

        private ParameterValue? Find(string label)
        {
            if (sample.TryGetValue(label, out var value))
            {
                return value;
            }

            var name = label[(label.IndexOf('/', StringComparison.Ordinal) + 1)..];
            return space.TryGetFixed(name, out var fixedValue) ? fixedValue : (ParameterValue?)null;
        }
    }
}
