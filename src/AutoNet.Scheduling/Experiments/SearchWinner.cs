using System.Globalization;
using AutoNet.Store;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// The trial a search hands over, the one `best` names in show, evaluate and export: the completed final training
/// when there is one; else the completed trial with the highest validation accuracy (the leaderboard's first); else,
/// when every trial was stopped early, the one with the highest validation accuracy among those that trained at least
/// one epoch (so it has a checkpoint), labelled as such rather than passed off as a finished trial.
/// </summary>
public sealed record SearchWinner(Trial Trial, WinnerKind Kind)
{
    /// <summary>The winner among <paramref name="trials"/> (one experiment's), or null when no trial has a score.</summary>
    public static SearchWinner? Choose(IEnumerable<Trial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var all = trials.ToList();
        if (all.LastOrDefault(t => t.Role == TrialRole.Final && t.State == TrialState.Completed) is { } final)
        {
            return new SearchWinner(final, WinnerKind.FinalTraining);
        }

        if (Best(all.Where(t => t.State == TrialState.Completed)) is { } completed)
        {
            return new SearchWinner(completed, WinnerKind.Completed);
        }

        return Best(all.Where(t => t.State != TrialState.Failed && t.EpochsDone > 0)) is { } stopped
            ? new SearchWinner(stopped, WinnerKind.BestPruned)
            : null;
    }

    /// <summary>A few words saying which trial this is and why it was chosen.</summary>
    public string Describe() => Kind switch
    {
        WinnerKind.FinalTraining => string.Create(CultureInfo.InvariantCulture, $"trial {Trial.Number}, the final training of the search's winner"),
        WinnerKind.Completed => string.Create(CultureInfo.InvariantCulture, $"trial {Trial.Number}, the completed trial with the best validation accuracy"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"trial {Trial.Number}, {Trial.State.ToString().ToLowerInvariant()} after {Trial.EpochsDone} epoch{(Trial.EpochsDone == 1 ? string.Empty : "s")}: no trial trained its full budget, so the best checkpointed one"),
    };

    private static Trial? Best(IEnumerable<Trial> trials) => trials.Where(t => t.BestValidationAccuracy is not null)
        .OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).FirstOrDefault();
}
