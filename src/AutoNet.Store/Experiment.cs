namespace AutoNet.Store;

/// <summary>A stored experiment. Its strategy state is loaded separately (<see cref="IExperimentStore.LoadStrategyStateAsync"/>).</summary>
/// <param name="FailureReason">Why a Failed experiment failed (its set-up or search stopped with this error).</param>
/// <param name="SearchSeconds">Search time already used, so a resumed search keeps what is left of its wall budget.</param>
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
    DateTimeOffset UpdatedAt,
    string? FailureReason = null,
    double SearchSeconds = 0);
