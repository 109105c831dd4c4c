using System.Text.Json;
using System.Text.Json.Serialization;
using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>One ranked trial as the leaderboard prints it (and as --json writes it); <c>Seconds</c> is the time spent training its epochs.</summary>
public sealed record LeaderboardRow(
    int Rank,
    long Trial,
    string State,
    double? ValidationAccuracy,
    double? TestAccuracy,
    long? Parameters,
    long? Flops,
    long Epochs,
    double? Seconds,
    string Strategy,
    [property: JsonIgnore] string Hyperparameters,
    string? FailureReason)
{
    /// <summary>The trial's sample as a JSON object in --json output (not a string of JSON).</summary>
    [JsonPropertyName("hyperparameters")]
    public JsonElement HyperparametersObject
    {
        get
        {
            using var document = JsonDocument.Parse(Hyperparameters);
            return document.RootElement.Clone();
        }
    }

    /// <summary>What the strategy column says for the final training of a search's winner.</summary>
    public const string FinalStrategy = "final training";

    /// <summary>The rows of ranked trials, with each trial's training time read from its epochs.</summary>
    public static async Task<List<LeaderboardRow>> FromAsync(IExperimentStore store, IReadOnlyList<Trial> trials, Experiment experiment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trials);
        var rows = new List<LeaderboardRow>();
        foreach (var trial in trials)
        {
            rows.Add(From(trial, experiment, await store.GetEpochMetricsAsync(trial.Id, cancellationToken).ConfigureAwait(false), rows.Count + 1));
        }

        return rows;
    }

    public static LeaderboardRow From(Trial trial, Experiment experiment, IReadOnlyList<EpochMetrics> epochs, int rank = 0)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(epochs);
        double? seconds = epochs.Count == 0 ? null : epochs.Sum(e => e.Seconds);
        return new LeaderboardRow(rank, trial.Number, trial.State.ToString(), trial.BestValidationAccuracy, trial.TestAccuracy, trial.ParameterCount,
            trial.Flops, trial.EpochsDone, seconds, trial.Role == TrialRole.Final ? FinalStrategy : experiment.Strategy, trial.HyperparametersJson, trial.FailureReason);
    }
}
