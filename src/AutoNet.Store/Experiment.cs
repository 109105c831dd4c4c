namespace AutoNet.Store;

/// <summary>A stored experiment. Its strategy state is loaded separately (<see cref="IExperimentStore.LoadStrategyStateAsync"/>).</summary>
public sealed record Experiment(
    long Id,
    string Name,
    string DataSource,
    string SplitJson,
    string SearchSpaceName,
    string SearchSpaceJson,
    string Strategy,
    string Scheduler,
    string BudgetJson,
    long Seed,
    ExperimentState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
