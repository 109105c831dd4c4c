using AutoNet.Search.MultiFidelity;
using AutoNet.Search.Spaces;

namespace AutoNet.Scheduling.Experiments;

/// <summary>The early-stopping schedulers a search may name (<c>--scheduler</c>), and how long a space's longest trial trains.</summary>
public static class EarlyStoppingChoice
{
    public static readonly string[] Names = ["asha", "fifo", "median"];

    public static ITrialScheduler Create(string name, int maxEpochs) => name switch
    {
        "asha" => new AshaScheduler(minEpochs: 1, maxEpochs: maxEpochs, reductionFactor: 3),
        "fifo" => new FifoScheduler(maxEpochs),
        "median" => new MedianStoppingRule(maxEpochs),
        _ => throw new ArgumentException($"--scheduler '{name}': expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>The epoch budget of the space's longest trial: its <c>hp/epochs</c> upper end (what ASHA's rungs climb to).</summary>
    public static int MaxEpochs(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.TryGetDecision(SpaceLabels.Epochs, out var epochs))
        {
            return epochs switch
            {
                IntParameter p => (int)p.High,
                CategoricalParameter c => c.Choices.Max(v => v.AsInt32()),
                _ => throw new ArgumentException($"the space '{space.Name}' has a non-integer '{SpaceLabels.Epochs}'"),
            };
        }

        throw new ArgumentException($"the space '{space.Name}' has no '{SpaceLabels.Epochs}' decision: a search needs each trial's epoch budget");
    }
}
