namespace AutoNet.Scheduling;

/// <summary>
/// One run of one trial, as a job hands it to the runner: which trial, on which slot, how far to train, and whether to
/// halve the batch size (after an out-of-memory failure).
/// </summary>
/// <param name="TrialId">The store's id of the trial.</param>
/// <param name="TrialNumber">The trial's number within its experiment (what early-stopping schedulers see).</param>
/// <param name="TargetEpoch">Train until this many epochs are complete (resuming from the checkpoint when there is one).</param>
/// <param name="MaxEpochs">The trial's full budget; reaching it completes the trial.</param>
/// <param name="HalveBatch">Train at half the trial's batch size (the retry after running out of memory).</param>
/// <param name="Attempt">1 for the first run of this assignment, more after retries and recoveries.</param>
/// <param name="Owner">The worker that owns the trial in the store during this run (what a checkpoint is kept under).</param>
public sealed record TrialAssignment(
    long ExperimentId,
    long TrialId,
    int TrialNumber,
    int TargetEpoch,
    int MaxEpochs,
    bool HalveBatch,
    int Attempt,
    DeviceSlot Slot,
    string? Owner = null);
