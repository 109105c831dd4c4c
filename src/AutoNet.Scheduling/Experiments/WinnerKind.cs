namespace AutoNet.Scheduling.Experiments;

/// <summary>Why a trial is the one a search hands over (<see cref="SearchWinner"/>).</summary>
public enum WinnerKind
{
    /// <summary>The winner trained again on every training image after the search.</summary>
    FinalTraining,

    /// <summary>The completed trial with the highest validation accuracy.</summary>
    Completed,

    /// <summary>No trial trained its full budget: the stopped one with the highest validation accuracy and a checkpoint.</summary>
    BestPruned,
}
