namespace AutoNet.Store.Sql;

/// <summary>A trials row as Dapper reads it (columns aliased to these names by <see cref="Columns"/>).</summary>
internal sealed class TrialRow
{
    public const string Columns =
        "id AS Id, experiment_id AS ExperimentId, number AS Number, genotype_json AS GenotypeJson, genotype_hash AS GenotypeHash, " +
        "hyperparameters_json AS HyperparametersJson, config_hash AS ConfigHash, state AS State, failure_reason AS FailureReason, " +
        "worker_id AS WorkerId, device AS Device, created_at AS CreatedAt, started_at AS StartedAt, ended_at AS EndedAt, " +
        "heartbeat_at AS HeartbeatAt, attempts AS Attempts, parameter_count AS ParameterCount, flops AS Flops, " +
        "epochs_done AS EpochsDone, best_val_accuracy AS BestValidationAccuracy, test_accuracy AS TestAccuracy, " +
        "test_metrics_json AS TestMetricsJson, role AS Role, unended_runs AS UnendedRuns";

    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Number { get; set; }
    public string GenotypeJson { get; set; } = "";
    public string GenotypeHash { get; set; } = "";
    public string HyperparametersJson { get; set; } = "";
    public string ConfigHash { get; set; } = "";
    public string State { get; set; } = "";
    public string? FailureReason { get; set; }
    public string? WorkerId { get; set; }
    public string? Device { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? EndedAt { get; set; }
    public long? HeartbeatAt { get; set; }
    public long Attempts { get; set; }
    public long? ParameterCount { get; set; }
    public long? Flops { get; set; }
    public long EpochsDone { get; set; }
    public double? BestValidationAccuracy { get; set; }
    public double? TestAccuracy { get; set; }
    public string? TestMetricsJson { get; set; }
    public string Role { get; set; } = nameof(TrialRole.Search);
    public long UnendedRuns { get; set; }

    public Trial ToTrial() => new(
        Id, ExperimentId, Number, GenotypeJson, GenotypeHash, HyperparametersJson, ConfigHash,
        StoredValues.Parse<TrialState>(State, "trials.state"), FailureReason, WorkerId, Device,
        UnixTime.ToTime(CreatedAt), UnixTime.ToTime(StartedAt), UnixTime.ToTime(EndedAt), UnixTime.ToTime(HeartbeatAt),
        Attempts, ParameterCount, Flops, EpochsDone, BestValidationAccuracy, TestAccuracy, TestMetricsJson, StoredValues.Parse<TrialRole>(Role, "trials.role")) { UnendedRuns = UnendedRuns };
}
