using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// A new experiment as the user's input decided it, before it is stored: its data and split, the space (its JSON
/// as it will be stored, a transfer space's weights already pinned), strategy, scheduler and plan, and the reasons
/// for each choice made for the user.
/// </summary>
public sealed record ExperimentDraft
{
    public required string Name { get; init; }

    /// <summary>What the experiment records as its data: a built-in data set's name, or a folder's absolute path.</summary>
    public required string Source { get; init; }

    public required DataSetListing Listing { get; init; }

    public required DataSplit Split { get; init; }

    public required SearchSpace Space { get; init; }

    public required string SpaceJson { get; init; }

    /// <summary>Where the space was read from (named in errors about it).</summary>
    public required string SpacePath { get; init; }

    public required string Strategy { get; init; }

    public required string Scheduler { get; init; }

    public required SearchPlan Plan { get; init; }

    public required long Seed { get; init; }

    /// <summary>Channels of the images the trials see (a pretrained package may fix them; 3 otherwise).</summary>
    public int Channels { get; init; } = 3;

    public bool Demo { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public TransferSources Transfer { get; init; } = new();
}
