using AutoNet.Store.Sql;
using LiteDB;

namespace AutoNet.Store.Lite;

/// <summary>
/// Our records as LiteDB documents and back, written by hand rather than through a <see cref="BsonMapper"/> (whose
/// first use races between threads, LiteDB #2536) so the field names are the SQL column names and a field that is
/// missing or of another type is reported as damage, naming it.
/// </summary>
internal static class LiteDocuments
{
    public const string Experiments = "experiments";
    public const string Trials = "trials";
    public const string Epochs = "epoch_metrics";
    public const string Artifacts = "artifacts";
    public const string Checkpoints = "trial_checkpoints";
    public const string Inputs = "experiment_inputs";
    public const string Meta = "autonet_schema";

    public static BsonDocument Experiment(NewExperiment e, long now) => new()
    {
        ["name"] = e.Name,
        ["data_source"] = e.DataSource,
        ["split_json"] = e.SplitJson,
        ["search_space_name"] = e.SearchSpaceName,
        ["search_space_json"] = e.SearchSpaceJson,
        ["strategy"] = e.Strategy,
        ["scheduler"] = e.Scheduler,
        ["budget_json"] = e.BudgetJson,
        ["seed"] = e.Seed,
        ["state"] = nameof(ExperimentState.Running),
        ["strategy_state"] = BsonValue.Null,
        ["failure_reason"] = BsonValue.Null,
        ["search_seconds"] = 0.0,
        ["next_number"] = 1L,
        ["created_at"] = now,
        ["updated_at"] = now,
    };

    public static Experiment ToExperiment(BsonDocument d) => new(
        Long(d, "_id", Experiments), Text(d, "name", Experiments), Text(d, "data_source", Experiments), Text(d, "split_json", Experiments),
        Text(d, "search_space_name", Experiments), Text(d, "search_space_json", Experiments), Text(d, "strategy", Experiments),
        Text(d, "scheduler", Experiments), Text(d, "budget_json", Experiments), Long(d, "seed", Experiments),
        StoredValues.Parse<ExperimentState>(Text(d, "state", Experiments), "experiments.state"),
        UnixTime.ToTime(Long(d, "created_at", Experiments)), UnixTime.ToTime(Long(d, "updated_at", Experiments)),
        // Experiments written before these fields existed have none: no failure, no search time recorded.
        d.ContainsKey("failure_reason") ? NullableText(d, "failure_reason", Experiments) : null,
        d.ContainsKey("search_seconds") ? Double(d, "search_seconds", Experiments) : 0);

    public static BsonDocument Trial(long experimentId, long number, NewTrial t, string configHash, long now) => new()
    {
        ["experiment_id"] = experimentId,
        ["number"] = number,
        ["genotype_json"] = t.GenotypeJson,
        ["genotype_hash"] = t.GenotypeHash,
        ["hyperparameters_json"] = t.HyperparametersJson,
        ["config_hash"] = configHash,
        ["state"] = nameof(TrialState.Waiting),
        ["failure_reason"] = BsonValue.Null,
        ["worker_id"] = BsonValue.Null,
        ["device"] = BsonValue.Null,
        ["created_at"] = now,
        ["started_at"] = BsonValue.Null,
        ["ended_at"] = BsonValue.Null,
        ["heartbeat_at"] = BsonValue.Null,
        ["attempts"] = 0L,
        ["parameter_count"] = Nullable(t.ParameterCount),
        ["flops"] = Nullable(t.Flops),
        ["epochs_done"] = 0L,
        ["best_val_accuracy"] = BsonValue.Null,
        ["test_accuracy"] = BsonValue.Null,
        ["test_metrics_json"] = BsonValue.Null,
        ["role"] = t.Role.ToString(),
        ["unended_runs"] = 0L,
    };

    public static Trial ToTrial(BsonDocument d) => new(
        Long(d, "_id", Trials), Long(d, "experiment_id", Trials), Long(d, "number", Trials), Text(d, "genotype_json", Trials),
        Text(d, "genotype_hash", Trials), Text(d, "hyperparameters_json", Trials), Text(d, "config_hash", Trials),
        StoredValues.Parse<TrialState>(Text(d, "state", Trials), "trials.state"), NullableText(d, "failure_reason", Trials),
        NullableText(d, "worker_id", Trials), NullableText(d, "device", Trials), UnixTime.ToTime(Long(d, "created_at", Trials)),
        UnixTime.ToTime(NullableLong(d, "started_at", Trials)), UnixTime.ToTime(NullableLong(d, "ended_at", Trials)),
        UnixTime.ToTime(NullableLong(d, "heartbeat_at", Trials)), Long(d, "attempts", Trials), NullableLong(d, "parameter_count", Trials),
        NullableLong(d, "flops", Trials), Long(d, "epochs_done", Trials), NullableDouble(d, "best_val_accuracy", Trials),
        NullableDouble(d, "test_accuracy", Trials), NullableText(d, "test_metrics_json", Trials),
        StoredValues.Parse<TrialRole>(Text(d, "role", Trials), "trials.role"))
    {
        // Absent in trials written before the field existed: none of their runs is counted as unended.
        UnendedRuns = d.TryGetValue("unended_runs", out var runs) && !runs.IsNull ? Long(d, "unended_runs", Trials) : 0,
    };

    /// <summary>An epoch's id makes reporting the same epoch again a replacement.</summary>
    public static string EpochId(long trialId, int epoch) => FormattableString.Invariant($"{trialId}:{epoch}");

    public static BsonDocument Epoch(long trialId, EpochMetrics m, long now) => new()
    {
        ["_id"] = EpochId(trialId, m.Epoch),
        ["trial_id"] = trialId,
        ["epoch"] = (long)m.Epoch,
        ["train_loss"] = m.TrainLoss,
        ["val_loss"] = Nullable(m.ValidationLoss),
        ["val_accuracy"] = Nullable(m.ValidationAccuracy),
        ["top5_accuracy"] = Nullable(m.Top5Accuracy),
        ["learning_rate"] = m.LearningRate,
        ["seconds"] = m.Seconds,
        ["memory_bytes"] = Nullable(m.MemoryBytes),
        ["recorded_at"] = now,
    };

    public static EpochMetrics ToEpoch(BsonDocument d) => new(
        checked((int)Long(d, "epoch", Epochs)), Double(d, "train_loss", Epochs), NullableDouble(d, "val_loss", Epochs),
        NullableDouble(d, "val_accuracy", Epochs), NullableDouble(d, "top5_accuracy", Epochs), Double(d, "learning_rate", Epochs),
        Double(d, "seconds", Epochs), NullableLong(d, "memory_bytes", Epochs));

    public static BsonDocument Artifact(long trialId, NewArtifact a, string sha256, long now) => new()
    {
        ["trial_id"] = trialId,
        ["kind"] = a.Kind.ToString(),
        ["path"] = a.Path,
        ["size_bytes"] = a.SizeBytes,
        ["sha256"] = sha256,
        ["created_at"] = now,
    };

    public static Artifact ToArtifact(BsonDocument d) => new(
        Long(d, "_id", Artifacts), Long(d, "trial_id", Artifacts),
        StoredValues.Parse<ArtifactKind>(Text(d, "kind", Artifacts), "artifacts.kind"), Text(d, "path", Artifacts),
        Long(d, "size_bytes", Artifacts), Text(d, "sha256", Artifacts), UnixTime.ToTime(Long(d, "created_at", Artifacts)));

    public static BsonValue Nullable(long? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    public static BsonValue Nullable(double? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    public static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static long Long(BsonDocument d, string field, string collection) =>
        Field(d, field, collection) is var v && (v.IsInt64 || v.IsInt32) ? v.AsInt64 : throw Damaged(field, collection, "an integer");

    public static long? NullableLong(BsonDocument d, string field, string collection) =>
        Field(d, field, collection).IsNull ? null : Long(d, field, collection);

    public static double Double(BsonDocument d, string field, string collection) =>
        Field(d, field, collection) is { IsNumber: true } v ? v.AsDouble : throw Damaged(field, collection, "a number");

    public static double? NullableDouble(BsonDocument d, string field, string collection) =>
        Field(d, field, collection).IsNull ? null : Double(d, field, collection);

    public static string Text(BsonDocument d, string field, string collection) =>
        Field(d, field, collection) is { IsString: true } v ? v.AsString : throw Damaged(field, collection, "text");

    public static string? NullableText(BsonDocument d, string field, string collection) =>
        Field(d, field, collection).IsNull ? null : Text(d, field, collection);

    private static BsonValue Field(BsonDocument d, string field, string collection) =>
        d.TryGetValue(field, out var value) ? value : throw Damaged(field, collection, "a value");

    private static InvalidDataException Damaged(string field, string collection, string expected) =>
        new($"{collection}.{field} is missing or holds another type; expected {expected}");
}
