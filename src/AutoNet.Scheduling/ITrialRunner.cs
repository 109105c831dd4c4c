namespace AutoNet.Scheduling;

/// <summary>
/// Trains one trial on one slot. The real one (<see cref="TrainingTrialRunner"/>) builds the network and runs
/// AutoNet.Training's trainer; tests use a simulated one. A runner throws
/// <see cref="AutoNet.Training.TrialFailedException"/> for a trial that cannot go on; on cancellation it returns
/// (or throws <see cref="OperationCanceledException"/>) with its last completed epoch checkpointed.
/// <see cref="ITrialProgress.OnEpochCompleted"/> blocks until the store and the coordinator have answered, so a
/// runner calls it from a thread of its own (training is synchronous anyway), never from a thread-pool thread.
/// </summary>
public interface ITrialRunner
{
    Task<TrialRunOutcome> RunAsync(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken);
}
