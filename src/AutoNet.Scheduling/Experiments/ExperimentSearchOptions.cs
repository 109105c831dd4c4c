using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>What <see cref="ExperimentSearch"/> runs: a stored experiment, its space and data, and this process's share of the training.</summary>
public sealed record ExperimentSearchOptions
{
    public required IExperimentStore Store { get; init; }

    public required Experiment Experiment { get; init; }

    public required SearchSpace Space { get; init; }

    public required ExperimentData Data { get; init; }

    /// <summary>The experiment was read back from the store: its strategy state and the search time it used are taken back.</summary>
    public bool Resumed { get; init; }

    /// <summary>A resume was given a budget: the data's plan carries it, and it replaces the stored one.</summary>
    public bool BudgetReplaced { get; init; }

    /// <summary>A resume was given a time budget: it counts from now instead of from what the search used before.</summary>
    public bool TimeBudgetReplaced { get; init; }

    /// <summary>This process's device slots.</summary>
    public required IReadOnlyList<DeviceSlot> Slots { get; init; }

    /// <summary>Trials kept queued beyond this process's slots, for workers on other machines (PostgreSQL only).</summary>
    public int RemoteSlots { get; init; }

    /// <summary>Caches and trial folders (checkpoints, predictions).</summary>
    public required string Workspace { get; init; }

    /// <summary>The Npgsql connection string of a PostgreSQL store (its job queue lives there too); unused for an embedded store.</summary>
    public string? PostgresConnection { get; init; }

    public TransferSources Transfer { get; init; } = new();

    /// <summary>Refuses a decoded cache whose channel count the space cannot take (a pretrained package's input), before any trial.</summary>
    public Action<int>? CheckChannels { get; init; }

    /// <summary>
    /// When the final training must end: set when AutoNet split one time budget between the search and the final
    /// training itself. The final training then fits its epochs to the time left when it starts, so what the set-up
    /// and the search left unused goes to the winner (the reference hour's final training got 30 of its 60 minutes and
    /// the run ended after 52). Null: the plan's final-training time, as given.
    /// </summary>
    public DateTimeOffset? FinalTrainingEndsBy { get; init; }
}
