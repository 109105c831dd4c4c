using AutoNet.Store.Sql;
using LiteDB;

namespace AutoNet.Store.Lite;

/// <summary>
/// The store in one LiteDB file (<see cref="LiteFile"/> opens it, in shared mode, under a lock file). Every
/// operation is one LiteDB transaction run to the end on one thread, its results materialised before the lock is let
/// go, so no LiteDB reader crosses a thread or an await (LiteDB #2787).
/// </summary>
internal sealed class LiteExperimentStore : IExperimentStore
{
    private readonly LiteFile _file;

    private LiteExperimentStore(LiteFile file) => _file = file;

    public StoreEngine Engine => StoreEngine.LiteDb;

    public string Location => _file.Location;

    public static async Task<LiteExperimentStore> OpenAsync(string path, StoreOptions options, CancellationToken cancellationToken)
    {
        var file = await LiteFile.OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        return new LiteExperimentStore(file);
    }

    private long Now => UnixTime.Now(_file.Options.Time);

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    public Task<Experiment> CreateExperimentAsync(NewExperiment experiment, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateExperiment(experiment);
        return _file.RunAsync(db =>
        {
            var experiments = db.GetCollection(LiteDocuments.Experiments, BsonAutoId.Int64);
            if (experiments.Exists(Query.EQ("name", experiment.Name)))
            {
                throw StoreInput.DuplicateName(experiment.Name, Location);
            }

            var id = experiments.Insert(LiteDocuments.Experiment(experiment, Now));
            return LiteDocuments.ToExperiment(experiments.FindById(id));
        }, cancellationToken);
    }

    public Task<Experiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _file.RunAsync(db => db.GetCollection(LiteDocuments.Experiments).FindOne(Query.EQ("name", name)) is { } d
            ? LiteDocuments.ToExperiment(d)
            : null, cancellationToken);
    }

    public Task<IReadOnlyList<ExperimentSummary>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        _file.RunAsync<IReadOnlyList<ExperimentSummary>>(db =>
        {
            var trials = db.GetCollection(LiteDocuments.Trials);
            return db.GetCollection(LiteDocuments.Experiments).FindAll().Select(LiteDocuments.ToExperiment).OrderBy(e => e.Id).ToList()
                .Select(e => Summarize(e, trials.Find(Query.EQ("experiment_id", e.Id)).Select(LiteDocuments.ToTrial).ToList()))
                .ToList();
        }, cancellationToken);

    public Task SetExperimentStateAsync(long experimentId, ExperimentState state, CancellationToken cancellationToken = default) =>
        UpdateExperimentAsync(experimentId, d => d["state"] = state.ToString(), cancellationToken);

    public Task<IAsyncDisposable> HoldCoordinatorAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Task.FromResult(EmbeddedCoordinatorLeases.Acquire(_file.FilePath, experiment, Location));
    }

    public Task FailExperimentAsync(long experimentId, string reason, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(reason, nameof(reason));
        return UpdateExperimentAsync(experimentId, d =>
        {
            d["state"] = nameof(ExperimentState.Failed);
            d["failure_reason"] = reason;
        }, cancellationToken);
    }

    public Task SetBudgetAsync(long experimentId, string budgetJson, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireJson(budgetJson, nameof(budgetJson));
        return UpdateExperimentAsync(experimentId, d => d["budget_json"] = budgetJson, cancellationToken);
    }

    public Task SetSearchSecondsAsync(long experimentId, double seconds, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireSeconds(seconds, nameof(seconds));
        return UpdateExperimentAsync(experimentId, d => d["search_seconds"] = seconds, cancellationToken);
    }

    public Task SaveStrategyStateAsync(long experimentId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        var bytes = state.ToArray();
        return UpdateExperimentAsync(experimentId, d => d["strategy_state"] = bytes, cancellationToken);
    }

    public Task<byte[]?> LoadStrategyStateAsync(long experimentId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db =>
        {
            var d = RequireExperiment(db, experimentId);
            return d.TryGetValue("strategy_state", out var v) && v.IsBinary ? v.AsBinary : null;
        }, cancellationToken);

    public Task<Trial> AddTrialAsync(long experimentId, NewTrial trial, CancellationToken cancellationToken = default)
    {
        var configHash = StoreInput.ValidateTrial(trial);
        return _file.RunAsync(db =>
        {
            // The experiment keeps its next trial number: counting its trials would read all of them on every add.
            var experiments = db.GetCollection(LiteDocuments.Experiments);
            var experiment = RequireExperiment(db, experimentId);
            var number = LiteDocuments.Long(experiment, "next_number", LiteDocuments.Experiments);
            experiment["next_number"] = number + 1;
            experiments.Update(experiment);
            var trials = db.GetCollection(LiteDocuments.Trials, BsonAutoId.Int64);
            var id = trials.Insert(LiteDocuments.Trial(experimentId, number, trial, configHash, Now));
            return LiteDocuments.ToTrial(trials.FindById(id));
        }, cancellationToken);
    }

    public Task<Trial?> GetTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db => FindTrial(db, trialId), cancellationToken);

    public Task<IReadOnlyList<Trial>> ListTrialsAsync(long experimentId, TrialState? state = null, CancellationToken cancellationToken = default) =>
        _file.RunAsync<IReadOnlyList<Trial>>(db => TrialsOf(db, experimentId)
            .Where(t => state is null || t.State == state)
            .OrderBy(t => t.Number)
            .ToList(), cancellationToken);

    public Task<Trial?> ClaimNextTrialAsync(long? experimentId, string workerId, string device, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        StoreInput.RequireText(device, nameof(device));
        return _file.RunAsync(db =>
        {
            var running = RunningExperiments(db);
            var waiting = db.GetCollection(LiteDocuments.Trials).Find(Query.EQ("state", nameof(TrialState.Waiting)))
                .Where(d => running.Contains(LiteDocuments.Long(d, "experiment_id", LiteDocuments.Trials)))
                .Where(d => experimentId is null || LiteDocuments.Long(d, "experiment_id", LiteDocuments.Trials) == experimentId)
                .MinBy(d => LiteDocuments.Long(d, "_id", LiteDocuments.Trials));
            return waiting is null ? null : Claim(db, waiting, workerId, device, Now);
        }, cancellationToken);
    }

    public Task<Trial?> ClaimTrialAsync(long trialId, string workerId, string device, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        StoreInput.RequireText(device, nameof(device));
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        return _file.RunAsync(db =>
        {
            var now = Now;
            var d = db.GetCollection(LiteDocuments.Trials).FindById(trialId);
            if (d is null)
            {
                return null;
            }

            var trial = LiteDocuments.ToTrial(d);
            var claimable = trial.State == TrialState.Waiting
                || (trial.State == TrialState.Running && trial.HeartbeatAt!.Value.ToUnixTimeMilliseconds() < now - (long)staleAfter.TotalMilliseconds);
            return claimable && RunningExperiments(db).Contains(trial.ExperimentId) ? Claim(db, d, workerId, device, now) : null;
        }, cancellationToken);
    }

    public Task<bool> HeartbeatAsync(long trialId, string workerId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db =>
        {
            var trials = db.GetCollection(LiteDocuments.Trials);
            if (trials.FindById(trialId) is not { } d || !Owns(d, workerId))
            {
                return false;
            }

            d["heartbeat_at"] = Now;
            return trials.Update(d);
        }, cancellationToken);

    public Task ReportEpochAsync(long trialId, string workerId, EpochMetrics metrics, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateMetrics(metrics);
        return _file.RunAsync(db =>
        {
            var now = Now;
            var d = RequireOwner(db, trialId, workerId, now);
            var epochs = db.GetCollection(LiteDocuments.Epochs);
            epochs.Upsert(LiteDocuments.Epoch(trialId, metrics, now));
            var curve = epochs.Find(Query.EQ("trial_id", trialId)).Select(LiteDocuments.ToEpoch).ToList();
            d["epochs_done"] = (long)curve.Max(e => e.Epoch);
            d["best_val_accuracy"] = LiteDocuments.Nullable(curve.Max(e => e.ValidationAccuracy));
            db.GetCollection(LiteDocuments.Trials).Update(d);
            return 0;
        }, cancellationToken);
    }

    public Task SaveCheckpointAsync(long trialId, string workerId, long epoch, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(workerId, nameof(workerId));
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var bytes = archive.ToArray();
        var sha = AtomicFile.Sha256Of(bytes);
        return _file.RunAsync(db =>
        {
            var now = Now;
            RequireOwner(db, trialId, workerId, now);
            db.GetCollection(LiteDocuments.Checkpoints).Upsert(new BsonDocument
            {
                ["_id"] = trialId,
                ["epoch"] = epoch,
                ["archive"] = bytes,
                ["sha256"] = sha,
                ["saved_at"] = now,
            });
            return 0;
        }, cancellationToken);
    }

    public Task<StoredCheckpoint?> LoadCheckpointAsync(long trialId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db => db.GetCollection(LiteDocuments.Checkpoints).FindById(trialId) is { } d
            ? new StoredCheckpoint(trialId, LiteDocuments.Long(d, "epoch", LiteDocuments.Checkpoints), d["archive"].AsBinary,
                LiteDocuments.Text(d, "sha256", LiteDocuments.Checkpoints), UnixTime.ToTime(LiteDocuments.Long(d, "saved_at", LiteDocuments.Checkpoints)))
            : null, cancellationToken);

    public Task SaveInputAsync(long experimentId, string path, bool isFolder, ReadOnlyMemory<byte> archive, CancellationToken cancellationToken = default)
    {
        StoreInput.RequireText(path, nameof(path));
        var bytes = archive.ToArray();
        var sha = AtomicFile.Sha256Of(bytes);
        return _file.RunAsync(db =>
        {
            if (db.GetCollection(LiteDocuments.Experiments).FindById(experimentId) is null)
            {
                throw StoreInput.NoExperiment(experimentId, Location);
            }

            db.GetCollection(LiteDocuments.Inputs).Upsert(new BsonDocument
            {
                ["_id"] = InputId(experimentId, path),
                ["is_folder"] = isFolder,
                ["archive"] = bytes,
                ["sha256"] = sha,
                ["saved_at"] = Now,
            });
            return 0;
        }, cancellationToken);
    }

    public Task<StoredInput?> LoadInputAsync(long experimentId, string path, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db => db.GetCollection(LiteDocuments.Inputs).FindById(InputId(experimentId, path)) is { } d
            ? new StoredInput(experimentId, path, d["is_folder"].AsBoolean, d["archive"].AsBinary, LiteDocuments.Text(d, "sha256", LiteDocuments.Inputs))
            : null, cancellationToken);

    private static string InputId(long experimentId, string path) => FormattableString.Invariant($"{experimentId}:{path}");

    public Task<FrozenTrial> FinishTrialAsync(long trialId, string workerId, TrialFinish finish, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateFinish(finish);
        return _file.RunAsync(db =>
        {
            var now = Now;
            var d = RequireOwner(db, trialId, workerId, now);
            d["state"] = finish.State.ToString();
            d["failure_reason"] = LiteDocuments.Nullable(finish.Reason);
            d["test_accuracy"] = LiteDocuments.Nullable(finish.TestAccuracy);
            d["test_metrics_json"] = LiteDocuments.Nullable(finish.TestMetricsJson);
            d["ended_at"] = now;
            db.GetCollection(LiteDocuments.Trials).Update(d);
            return Freeze(db, LiteDocuments.ToTrial(d))!;
        }, cancellationToken);
    }

    public Task ReleaseTrialAsync(long trialId, string workerId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db =>
        {
            var d = RequireOwner(db, trialId, workerId, Now);
            Requeue(d);
            d["unended_runs"] = 0L;
            db.GetCollection(LiteDocuments.Trials).Update(d);
            return 0;
        }, cancellationToken);

    public Task<StaleTrialRecovery> RequeueStaleTrialsAsync(TimeSpan staleAfter, int maxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return _file.RunAsync(db =>
        {
            var now = Now;
            var cutoff = now - (long)staleAfter.TotalMilliseconds;
            var trials = db.GetCollection(LiteDocuments.Trials);
            var stale = trials.Find(Query.EQ("state", nameof(TrialState.Running)))
                .Where(d => LiteDocuments.NullableLong(d, "heartbeat_at", LiteDocuments.Trials) < cutoff)
                .ToList();
            var failed = new List<long>();
            var requeued = new List<long>();
            foreach (var d in stale)
            {
                var attempts = LiteDocuments.ToTrial(d).UnendedRuns;
                if (attempts >= maxAttempts)
                {
                    d["state"] = nameof(TrialState.Failed);
                    d["ended_at"] = now;
                    d["failure_reason"] = StoreInput.StaleFailureReason(LiteDocuments.NullableText(d, "worker_id", LiteDocuments.Trials), attempts);
                    failed.Add(d["_id"].AsInt64);
                }
                else
                {
                    Requeue(d);
                    requeued.Add(d["_id"].AsInt64);
                }

                trials.Update(d);
            }

            failed.Sort();
            requeued.Sort();
            return new StaleTrialRecovery(requeued, failed);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<EpochMetrics>> GetEpochMetricsAsync(long trialId, CancellationToken cancellationToken = default) =>
        _file.RunAsync<IReadOnlyList<EpochMetrics>>(db => EpochsOf(db, trialId), cancellationToken);

    public Task<FrozenTrial?> GetFrozenTrialAsync(long trialId, CancellationToken cancellationToken = default) =>
        _file.RunAsync(db => FindTrial(db, trialId) is { } t ? Freeze(db, t) : null, cancellationToken);

    public Task<FrozenTrial?> FindCompletedTrialAsync(
        long experimentId, string genotypeHash, string hyperparametersJson, CancellationToken cancellationToken = default)
    {
        var configHash = TrialHashes.ConfigHash(genotypeHash, hyperparametersJson);
        return _file.RunAsync(db =>
        {
            var match = db.GetCollection(LiteDocuments.Trials).Find(Query.EQ("config_hash", configHash))
                .Select(LiteDocuments.ToTrial)
                .Where(t => t.ExperimentId == experimentId && t.State == TrialState.Completed)
                .MinBy(t => t.Number);
            return match is null ? null : Freeze(db, match);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Trial>> GetLeaderboardAsync(long experimentId, LeaderboardQuery query, CancellationToken cancellationToken = default)
    {
        StoreInput.ValidateLeaderboard(query);
        var states = StoreInput.LeaderboardStates(query).ToHashSet();
        return _file.RunAsync<IReadOnlyList<Trial>>(db =>
        {
            var ranked = LeaderboardOrder.Rank(TrialsOf(db, experimentId).Where(t => states.Contains(t.State)), query.Sort);
            return (query.Top is { } top ? ranked.Take(top) : ranked).ToList();
        }, cancellationToken);
    }

    public Task<Artifact> AddArtifactAsync(long trialId, NewArtifact artifact, CancellationToken cancellationToken = default)
    {
        var sha = StoreInput.ValidateArtifact(artifact);
        return _file.RunAsync(db =>
        {
            if (FindTrial(db, trialId) is null)
            {
                throw StoreInput.NoTrial(trialId, Location);
            }

            var artifacts = db.GetCollection(LiteDocuments.Artifacts, BsonAutoId.Int64);
            var document = LiteDocuments.Artifact(trialId, artifact, sha, Now);
            var same = artifacts.Find(Query.EQ("trial_id", trialId)).FirstOrDefault(d => d["path"] == artifact.Path);
            if (same is null)
            {
                document["_id"] = artifacts.Insert(document);
            }
            else
            {
                document["_id"] = same["_id"];
                artifacts.Update(document);
            }

            return LiteDocuments.ToArtifact(document);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Artifact>> ListArtifactsAsync(long trialId, CancellationToken cancellationToken = default) =>
        _file.RunAsync<IReadOnlyList<Artifact>>(db => ArtifactsOf(db, trialId), cancellationToken);

    private Task<int> UpdateExperimentAsync(long experimentId, Action<BsonDocument> change, CancellationToken cancellationToken) =>
        _file.RunAsync(db =>
        {
            var d = RequireExperiment(db, experimentId);
            change(d);
            d["updated_at"] = Now;
            db.GetCollection(LiteDocuments.Experiments).Update(d);
            return 0;
        }, cancellationToken);

    private BsonDocument RequireExperiment(LiteDatabase db, long experimentId) =>
        db.GetCollection(LiteDocuments.Experiments).FindById(experimentId) ?? throw StoreInput.NoExperiment(experimentId, Location);

    /// <summary>Heartbeats the trial if <paramref name="workerId"/> runs it (the caller saves it); otherwise says clearly why not.</summary>
    private BsonDocument RequireOwner(LiteDatabase db, long trialId, string workerId, long now)
    {
        var d = db.GetCollection(LiteDocuments.Trials).FindById(trialId) ?? throw StoreInput.NoTrial(trialId, Location);
        if (!Owns(d, workerId))
        {
            throw StoreInput.NotOwner(LiteDocuments.ToTrial(d), workerId);
        }

        d["heartbeat_at"] = now;
        return d;
    }

    private static bool Owns(BsonDocument d, string workerId) =>
        LiteDocuments.Text(d, "state", LiteDocuments.Trials) == nameof(TrialState.Running)
        && LiteDocuments.NullableText(d, "worker_id", LiteDocuments.Trials) == workerId;

    private static Trial Claim(LiteDatabase db, BsonDocument d, string workerId, string device, long now)
    {
        d["state"] = nameof(TrialState.Running);
        d["worker_id"] = workerId;
        d["device"] = device;
        d["heartbeat_at"] = now;
        if (d["started_at"].IsNull)
        {
            d["started_at"] = now;
        }

        d["attempts"] = LiteDocuments.Long(d, "attempts", LiteDocuments.Trials) + 1;
        d["unended_runs"] = LiteDocuments.ToTrial(d).UnendedRuns + 1;
        db.GetCollection(LiteDocuments.Trials).Update(d);
        return LiteDocuments.ToTrial(d);
    }

    private static void Requeue(BsonDocument d)
    {
        d["state"] = nameof(TrialState.Waiting);
        d["worker_id"] = BsonValue.Null;
        d["device"] = BsonValue.Null;
        d["heartbeat_at"] = BsonValue.Null;
    }

    private static HashSet<long> RunningExperiments(LiteDatabase db) =>
        db.GetCollection(LiteDocuments.Experiments).Find(Query.EQ("state", nameof(ExperimentState.Running)))
            .Select(d => LiteDocuments.Long(d, "_id", LiteDocuments.Experiments)).ToHashSet();

    private static Trial? FindTrial(LiteDatabase db, long trialId) =>
        db.GetCollection(LiteDocuments.Trials).FindById(trialId) is { } d ? LiteDocuments.ToTrial(d) : null;

    private static IEnumerable<Trial> TrialsOf(LiteDatabase db, long experimentId) =>
        db.GetCollection(LiteDocuments.Trials).Find(Query.EQ("experiment_id", experimentId)).Select(LiteDocuments.ToTrial);

    private static List<EpochMetrics> EpochsOf(LiteDatabase db, long trialId) =>
        db.GetCollection(LiteDocuments.Epochs).Find(Query.EQ("trial_id", trialId)).Select(LiteDocuments.ToEpoch).OrderBy(e => e.Epoch).ToList();

    private static List<Artifact> ArtifactsOf(LiteDatabase db, long trialId) =>
        db.GetCollection(LiteDocuments.Artifacts).Find(Query.EQ("trial_id", trialId)).Select(LiteDocuments.ToArtifact)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToList();

    private static FrozenTrial? Freeze(LiteDatabase db, Trial trial) =>
        trial.IsFinished ? new FrozenTrial(trial, EpochsOf(db, trial.Id), ArtifactsOf(db, trial.Id)) : null;

    private static ExperimentSummary Summarize(Experiment experiment, List<Trial> trials)
    {
        long Count(TrialState s) => trials.Count(t => t.State == s);
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        return new ExperimentSummary(
            experiment,
            new TrialCounts(Count(TrialState.Waiting), Count(TrialState.Running), Count(TrialState.Completed), Count(TrialState.Pruned), Count(TrialState.Failed)),
            completed.Max(t => t.BestValidationAccuracy),
            completed.Max(t => t.TestAccuracy));
    }
}
