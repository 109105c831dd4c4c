using AutoNet.Store;

namespace AutoNet.Cli;

/// <summary>One ranked trial as the leaderboard prints it (and as --json writes it).</summary>
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
    string Hyperparameters,
    string? FailureReason)
{
    public static LeaderboardRow From(Trial trial, Experiment experiment, int rank = 0)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(experiment);
        double? seconds = trial.StartedAt is { } start && trial.EndedAt is { } end ? (end - start).TotalSeconds : null;
        return new LeaderboardRow(rank, trial.Number, trial.State.ToString(), trial.BestValidationAccuracy, trial.TestAccuracy, trial.ParameterCount,
            trial.Flops, trial.EpochsDone, seconds, experiment.Strategy, trial.HyperparametersJson, trial.FailureReason);
    }
}
