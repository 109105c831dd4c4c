namespace AutoNet.Store.Sql;

/// <summary>An experiments row as Dapper reads it, with the trial counts of a summary when selected.</summary>
internal sealed class ExperimentRow
{
    public const string Columns =
        "e.id AS Id, e.name AS Name, e.data_source AS DataSource, e.split_json AS SplitJson, e.search_space_name AS SearchSpaceName, " +
        "e.search_space_json AS SearchSpaceJson, e.strategy AS Strategy, e.scheduler AS Scheduler, e.budget_json AS BudgetJson, " +
        "e.seed AS Seed, e.state AS State, e.created_at AS CreatedAt, e.updated_at AS UpdatedAt, " +
        "e.failure_reason AS FailureReason, e.search_seconds AS SearchSeconds";

    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string DataSource { get; set; } = "";
    public string SplitJson { get; set; } = "";
    public string SearchSpaceName { get; set; } = "";
    public string SearchSpaceJson { get; set; } = "";
    public string Strategy { get; set; } = "";
    public string Scheduler { get; set; } = "";
    public string BudgetJson { get; set; } = "";
    public long Seed { get; set; }
    public string State { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? FailureReason { get; set; }
    public double SearchSeconds { get; set; }
    public long Waiting { get; set; }
    public long Running { get; set; }
    public long Completed { get; set; }
    public long Pruned { get; set; }
    public long Failed { get; set; }
    public double? BestValidationAccuracy { get; set; }
    public double? BestTestAccuracy { get; set; }

    public Experiment ToExperiment() => new(
        Id, Name, DataSource, SplitJson, SearchSpaceName, SearchSpaceJson, Strategy, Scheduler, BudgetJson, Seed,
        StoredValues.Parse<ExperimentState>(State, "experiments.state"), UnixTime.ToTime(CreatedAt), UnixTime.ToTime(UpdatedAt),
        FailureReason, SearchSeconds);

    public ExperimentSummary ToSummary() => new(
        ToExperiment(), new TrialCounts(Waiting, Running, Completed, Pruned, Failed), BestValidationAccuracy, BestTestAccuracy);
}
