namespace AutoNet.Store;

/// <summary>
/// What a new experiment is made of. The JSON fields are stored as given (they must parse as JSON);
/// the store does not interpret them.
/// </summary>
/// <param name="Name">Unique name of the experiment (what the CLI shows and takes).</param>
/// <param name="DataSource">Where the images come from: a folder, a manifest, or a named data set.</param>
/// <param name="SplitJson">How the data was split (fractions, seed, counts), as JSON.</param>
/// <param name="SearchSpaceName">The search space's name.</param>
/// <param name="SearchSpaceJson">The full search space definition, as JSON, so the experiment is self-contained.</param>
/// <param name="Strategy">The strategy that proposes trials (random, evolution, rl, tpe, ...).</param>
/// <param name="Scheduler">The early-stopping scheduler (asha, fifo, median, ...).</param>
/// <param name="BudgetJson">The budget (wall time, trials, epochs), as JSON.</param>
/// <param name="Seed">The seed every random choice of the experiment derives from.</param>
public sealed record NewExperiment(
    string Name,
    string DataSource,
    string SplitJson,
    string SearchSpaceName,
    string SearchSpaceJson,
    string Strategy,
    string Scheduler,
    string BudgetJson,
    long Seed);
