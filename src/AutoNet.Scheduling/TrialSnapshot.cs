using AutoNet.Store;

namespace AutoNet.Scheduling;

/// <summary>A trial as the ledger holds it: enough for a resumed search to rebuild its bookkeeping.</summary>
/// <param name="EndState">Null while the trial is Waiting or Running.</param>
/// <param name="LatestScore">The validation accuracy of its last epoch (<paramref name="EpochsDone"/>), if any.</param>
public sealed record TrialSnapshot(
    long TrialId,
    int TrialNumber,
    bool IsRunning,
    TrialEndState? EndState,
    int EpochsDone,
    double? BestValidationAccuracy,
    int MaxEpochs,
    double? LatestScore = null,
    TrialRole Role = TrialRole.Search);
