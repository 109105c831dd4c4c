namespace AutoNet.Store;

/// <summary>What <see cref="IExperimentStore.RequeueStaleTrialsAsync"/> did: trials put back to Waiting, and trials failed because they had used up their attempts.</summary>
public sealed record StaleTrialRecovery(IReadOnlyList<long> Requeued, IReadOnlyList<long> Failed);
