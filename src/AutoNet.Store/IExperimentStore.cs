namespace AutoNet.Store;

/// <summary>
/// Everything AutoNet remembers about searches: experiments, their trials, per-epoch metrics and
/// artifacts. One contract, two engines (SQLite, PostgreSQL); open one with <see cref="ExperimentStore"/>.
/// Safe to use from many threads and from many processes (and machines, on PostgreSQL) at once.
/// <para>
/// A trial's life: <see cref="AddTrialAsync"/> (Waiting) → <see cref="ClaimNextTrialAsync"/> by one worker
/// (Running) → <see cref="HeartbeatAsync"/> and <see cref="ReportEpochAsync"/> → <see cref="FinishTrialAsync"/>
/// (Completed, Pruned or Failed, never changed again). A running trial can be handed back
/// (<see cref="ReleaseTrialAsync"/>), and a trial whose worker died is put back to Waiting by
/// <see cref="RequeueStaleTrialsAsync"/>. Every change to a running trial names the worker, and fails
/// with <see cref="TrialOwnershipException"/> if that worker no longer holds it.
/// </para>
/// </summary>
public interface IExperimentStore : IAsyncDisposable
{
    StoreEngine Engine { get; }

    /// <summary>Where the store is, for messages: the file path, or the server and database (never a password).</summary>
    string Location { get; }

    /// <summary>Creates an experiment in state Running. Throws <see cref="ExperimentStoreException"/> if the name is taken.</summary>
    Task<Experiment> CreateExperimentAsync(NewExperiment experiment, CancellationToken cancellationToken = default);

    /// <summary>The experiment with this name, or null.</summary>
    Task<Experiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every experiment, oldest first, with trial counts per state and best scores.</summary>
    Task<IReadOnlyList<ExperimentSummary>> ListExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the experiment's state (Stopped on Ctrl-C, Running again on resume, Completed at the end).</summary>
    Task SetExperimentStateAsync(long experimentId, ExperimentState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes this process the experiment's one coordinator until the lease is disposed (or the process dies). A second
    /// coordinator, here or on another machine, gets <see cref="CoordinatorLockedException"/> naming the holder. On
    /// PostgreSQL the lease is a session advisory lock, so the server ends it with the holder's connection, whatever
    /// the machines' clocks say.
    /// </summary>
    Task<IAsyncDisposable> HoldCoordinatorAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>Marks the experiment Failed with the reason (its set-up or search stopped with an error).</summary>
    Task FailExperimentAsync(long experimentId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Replaces the experiment's budget (a resumed search given a new one keeps it for later resumes).</summary>
    Task SetBudgetAsync(long experimentId, string budgetJson, CancellationToken cancellationToken = default);

    /// <summary>Records the search time used so far, which a resumed search takes off its wall budget.</summary>
    Task SetSearchSecondsAsync(long experimentId, double seconds, CancellationToken cancellationToken = default);

    /// <summary>Saves the strategy's serialized state (RNG included), replacing the previous one, so a resumed search continues exactly.</summary>
    Task SaveStrategyStateAsync(long experimentId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default);

    /// <summary>The last saved strategy state, or null if none was saved.</summary>
    Task<byte[]?> LoadStrategyStateAsync(long experimentId, CancellationToken cancellationToken = default);

    /// <summary>Adds a Waiting trial with the next number in its experiment.</summary>
    Task<Trial> AddTrialAsync(long experimentId, NewTrial trial, CancellationToken cancellationToken = default);

    /// <summary>The trial with this id, or null.</summary>
    Task<Trial?> GetTrialAsync(long trialId, CancellationToken cancellationToken = default);

    /// <summary>The experiment's trials by number, optionally only those in one state.</summary>
    Task<IReadOnlyList<Trial>> ListTrialsAsync(long experimentId, TrialState? state = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically takes the oldest Waiting trial of a Running experiment for <paramref name="workerId"/>
    /// (any Running experiment when <paramref name="experimentId"/> is null) and marks it Running on
    /// <paramref name="device"/>. Under any concurrency exactly one worker gets each trial. Null when none waits.
    /// </summary>
    Task<Trial?> ClaimNextTrialAsync(long? experimentId, string workerId, string device, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically takes one given trial for <paramref name="workerId"/>: a Waiting trial of a Running experiment, or a
    /// Running one whose last heartbeat is older than <paramref name="staleAfter"/> (its worker died), and marks it
    /// Running on <paramref name="device"/>. Null when it is finished, held by a live worker, or not there. This is
    /// the claim of a scheduler that decided which trial runs next (a promotion, a recovered job).
    /// </summary>
    Task<Trial?> ClaimTrialAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken = default);

    /// <summary>Records that the worker is alive. False if the worker no longer holds the trial: it should stop.</summary>
    Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) one epoch's metrics; also a heartbeat. Updates epochs done and best validation accuracy.</summary>
    Task ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken = default);

    /// <summary>Ends a running trial for good and returns its frozen record.</summary>
    Task<FrozenTrial> FinishTrialAsync(long trialId, string workerId, TrialFinish finish, CancellationToken cancellationToken = default);

    /// <summary>Hands a running trial back to Waiting (graceful stop: it resumes from its last checkpoint later).</summary>
    Task ReleaseTrialAsync(long trialId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovery after a worker died: every Running trial whose last heartbeat is older than
    /// <paramref name="staleAfter"/> goes back to Waiting (its epochs and artifacts kept, to resume from), or,
    /// if it has already been claimed <paramref name="maxAttempts"/> times, becomes Failed with the reason.
    /// </summary>
    Task<StaleTrialRecovery> RequeueStaleTrialsAsync(TimeSpan staleAfter, int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the trial's checkpoint, packed into <paramref name="archive"/>, replacing the one kept before; only its
    /// running owner may (a worker that lost the trial must not overwrite the new owner's progress).
    /// </summary>
    Task SaveCheckpointAsync(long trialId, string workerId, long epoch, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default);

    /// <summary>The checkpoint kept for the trial, or null when none was kept.</summary>
    Task<StoredCheckpoint?> LoadCheckpointAsync(long trialId, CancellationToken cancellationToken = default);

    /// <summary>Keeps a file or folder the experiment's trials read (pretrained weights, a model package), packed into <paramref name="archive"/>, under <paramref name="path"/>; replaces one kept under that path.</summary>
    Task SaveInputAsync(long experimentId, string path, bool isFolder, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default);

    /// <summary>The input kept for the experiment under <paramref name="path"/>, or null.</summary>
    Task<StoredInput?> LoadInputAsync(long experimentId, string path, CancellationToken cancellationToken = default);

    /// <summary>The trial's epochs in order (the learning curve so far).</summary>
    Task<IReadOnlyList<EpochMetrics>> GetEpochMetricsAsync(long trialId, CancellationToken cancellationToken = default);

    /// <summary>The frozen record of a finished trial; null if there is no such trial or it has not finished.</summary>
    Task<FrozenTrial?> GetFrozenTrialAsync(long trialId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A Completed trial of the experiment with the same genotype hash and hyperparameters (compared
    /// canonically, so key order and spacing do not matter), or null: its result can be reused.
    /// </summary>
    Task<FrozenTrial?> FindCompletedTrialAsync(long experimentId, string genotypeHash, string hyperparametersJson, CancellationToken cancellationToken = default);

    /// <summary>The experiment's trials ranked by the query's metric (ties by trial number).</summary>
    Task<IReadOnlyList<Trial>> GetLeaderboardAsync(long experimentId, LeaderboardQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records a file the trial produced (replacing the record of the same path).</summary>
    Task<Artifact> AddArtifactAsync(long trialId, NewArtifact artifact, CancellationToken cancellationToken = default);

    /// <summary>The trial's artifacts, oldest first.</summary>
    Task<IReadOnlyList<Artifact>> ListArtifactsAsync(long trialId, CancellationToken cancellationToken = default);
}
