using System.Text.RegularExpressions;

namespace AutoNet.Store;

/// <summary>
/// The argument checks and messages every engine shares, so that a bad value is refused the same way (and with the
/// same words) whichever store a search runs on.
/// </summary>
internal static partial class StoreInput
{
    public static void RequireText(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{field} must not be empty", field);
        }
    }

    public static void RequireJson(string? value, string field)
    {
        RequireText(value, field);
        _ = TrialHashes.CanonicalJson(value!, field);
    }

    public static void RequireFraction(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be a fraction in [0, 1]");
        }
    }

    public static void RequireSeconds(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be a finite number of seconds, at least 0");
        }
    }

    public static void ValidateExperiment(NewExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        RequireText(experiment.Name, nameof(experiment.Name));
        RequireText(experiment.DataSource, nameof(experiment.DataSource));
        RequireJson(experiment.SplitJson, nameof(experiment.SplitJson));
        RequireText(experiment.SearchSpaceName, nameof(experiment.SearchSpaceName));
        RequireJson(experiment.SearchSpaceJson, nameof(experiment.SearchSpaceJson));
        RequireText(experiment.Strategy, nameof(experiment.Strategy));
        RequireText(experiment.Scheduler, nameof(experiment.Scheduler));
        RequireJson(experiment.BudgetJson, nameof(experiment.BudgetJson));
    }

    /// <summary>Checks the trial and returns its configuration hash.</summary>
    public static string ValidateTrial(NewTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        RequireJson(trial.GenotypeJson, nameof(trial.GenotypeJson));
        RequireText(trial.GenotypeHash, nameof(trial.GenotypeHash));
        return TrialHashes.ConfigHash(trial.GenotypeHash, trial.HyperparametersJson);
    }

    public static void ValidateFinish(TrialFinish finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        if (finish.State != TrialState.Completed)
        {
            RequireText(finish.Reason, "reason");
        }

        if (finish.TestAccuracy is { } accuracy)
        {
            RequireFraction(accuracy, nameof(finish.TestAccuracy));
        }

        if (finish.TestMetricsJson is not null)
        {
            RequireJson(finish.TestMetricsJson, nameof(finish.TestMetricsJson));
        }
    }

    /// <summary>Checks the artifact and returns its hash in lower case, as stored.</summary>
    public static string ValidateArtifact(NewArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        RequireText(artifact.Path, nameof(artifact.Path));
        ArgumentOutOfRangeException.ThrowIfNegative(artifact.SizeBytes);
        if (!Sha256Hex().IsMatch(artifact.Sha256 ?? ""))
        {
            throw new ArgumentException($"Sha256 must be 64 hex digits, got '{artifact.Sha256}'", nameof(artifact));
        }

        return artifact.Sha256!.ToLowerInvariant();
    }

    public static void ValidateMetrics(EpochMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Epoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m.Epoch, "EpochMetrics.Epoch is 1-based and must be at least 1");
        }

        RequireFinite(m.TrainLoss, nameof(m.TrainLoss));
        RequireFinite(m.ValidationLoss, nameof(m.ValidationLoss));
        RequireFinite(m.LearningRate, nameof(m.LearningRate));
        RequireFinite(m.Seconds, nameof(m.Seconds));
        if (m.ValidationAccuracy is { } va)
        {
            RequireFraction(va, nameof(m.ValidationAccuracy));
        }

        if (m.Top5Accuracy is { } t5)
        {
            RequireFraction(t5, nameof(m.Top5Accuracy));
        }
    }

    public static void ValidateLeaderboard(LeaderboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Top is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Top, "LeaderboardQuery.Top must be zero or more");
        }

        if (!Enum.IsDefined(query.Sort))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "unknown leaderboard sort");
        }
    }

    /// <summary>The states a leaderboard shows: the query's, or Completed only.</summary>
    public static IReadOnlyList<TrialState> LeaderboardStates(LeaderboardQuery query) =>
        query.States is { Count: > 0 } states ? states : [TrialState.Completed];

    public static ExperimentStoreException NoExperiment(long experimentId, string location) =>
        new($"experiment {experimentId} does not exist in {location}");

    public static ExperimentStoreException NoTrial(long trialId, string location) =>
        new($"trial {trialId} does not exist in {location}");

    public static ExperimentStoreException DuplicateName(string name, string location, Exception? inner = null) =>
        new($"an experiment named '{name}' already exists in {location}; choose another name or resume it", inner!);

    /// <summary>Why <paramref name="workerId"/> may not change <paramref name="trial"/> (as it is now).</summary>
    public static TrialOwnershipException NotOwner(Trial trial, string workerId) =>
        new($"worker '{workerId}' no longer runs trial {trial.Id} (#{trial.Number}): it is {trial.State}" +
            (trial.WorkerId is null ? "" : $" under worker '{trial.WorkerId}'") +
            (trial.State == TrialState.Waiting ? ", requeued after its heartbeat went stale" : ""));

    /// <summary>The failure reason of a trial whose worker stopped sending heartbeats on every attempt.</summary>
    public static string StaleFailureReason(string? workerId, long attempts) =>
        $"its worker ({workerId}) stopped sending heartbeats on each of its {attempts} attempts";

    private static void RequireFinite(double? value, string field)
    {
        if (value is { } v && !double.IsFinite(v))
        {
            throw new ArgumentOutOfRangeException(field, v,
                $"EpochMetrics.{field} must be finite; a trial whose loss diverged should be failed with that reason");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
