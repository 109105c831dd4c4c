using System.Diagnostics;
using System.Threading.Channels;
using AutoNet.Search.MultiFidelity;
using AutoNet.Training;

namespace AutoNet.Scheduling.Search;

/// <summary>
/// The search's controller loop. Every event — an epoch reported by a trial job, a run that ended — arrives through
/// one channel and is handled on one thread, so the proposer and the early-stopping scheduler (neither thread-safe)
/// are only ever touched here. While the budget lasts and fewer than <see cref="SearchCoordinatorOptions.Concurrency"/>
/// trials are in flight, it first continues a paused trial the scheduler promotes, then asks the proposer for a new
/// one, adds it to the store and dispatches it. When the budget is spent it lets running trials pause at their next
/// epoch, waits for them, and marks trials left paused at a rung as pruned. Once a trial has completed, an epoch that
/// would end past the wall budget (at the speed that trial's, or a typical trial's, epochs went) is not begun: the
/// search closes on time instead of overrunning by up to an epoch and a test evaluation. Cancelling it (Ctrl-C) leaves every
/// unfinished trial Waiting in the store, so the search can be resumed.
/// </summary>
public sealed class SearchCoordinator : ITrialEventSink
{
    private readonly SearchCoordinatorOptions options;
    private readonly ITrialLedger ledger;
    private readonly ITrialDispatcher dispatcher;
    private readonly Channel<object> events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, TrackedTrial> trials = [];
    private readonly HashSet<(long Trial, int Epoch)> countedEpochs = [];
    private readonly Stopwatch clock = new();
    private int inFlight;
    private int started;
    private int completed;
    private int pruned;
    private int failed;
    private long epochsTrained;
    private bool finishing;
    private bool closedEarly;
    private TimeSpan lastSaved;
    private volatile BestTrial? best;

    public SearchCoordinator(SearchCoordinatorOptions options, ITrialLedger ledger, ITrialDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(dispatcher);
        options.Budget.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ElapsedBefore, TimeSpan.Zero);
        this.options = options;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
    }

    /// <summary>The best trial so far (any thread may read it; it is replaced, never changed).</summary>
    public BestTrial? Best => best;

    private ITrialScheduler EarlyStopping => options.EarlyStopping;

    /// <summary>Search time used against the wall budget: before a resume and in this run.</summary>
    private TimeSpan Used => options.ElapsedBefore + clock.Elapsed;

    private bool BudgetSpent =>
        (options.Budget.WallTime is { } wall && Used >= wall)
        || (options.Budget.MaxEpochs is { } epochs && epochsTrained >= epochs);

    /// <summary>
    /// Whether an epoch of <paramref name="secondsPerEpoch"/> begun now would end after the wall budget. Only once a
    /// trial has completed: before that, finishing one (the search's only exportable result) comes first.
    /// </summary>
    private bool EpochOverrunsBudget(double secondsPerEpoch) =>
        completed > 0 && secondsPerEpoch > 0 && options.Budget.WallTime is { } wall && (Used.TotalSeconds + secondsPerEpoch) > wall.TotalSeconds;

    /// <summary>The median time of the trials' last epochs so far (0 before any was timed).</summary>
    private double TypicalSecondsPerEpoch()
    {
        var times = trials.Values.Select(t => t.SecondsPerEpoch).Where(s => s > 0).Order().ToArray();
        return times.Length == 0 ? 0 : times[times.Length / 2];
    }

    private bool NoRoomForAnotherEpoch(double secondsPerEpoch)
    {
        if (!EpochOverrunsBudget(secondsPerEpoch))
        {
            return false;
        }

        closedEarly = true;
        return true;
    }

    /// <summary>Runs the search until its budget is spent or nothing is left to try; cancellation stops it resumably.</summary>
    public async Task<SearchSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        clock.Start();
        await RestoreAsync(cancellationToken).ConfigureAwait(false);
        var interrupted = false;
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = options.PollInterval is { } interval ? PollAsync(interval, polling.Token) : Task.CompletedTask;
        try
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
            while (!IsDone())
            {
                var next = await NextEventAsync(cancellationToken).ConfigureAwait(false);
                if (next is not null)
                {
                    await HandleAsync(next, cancellationToken).ConfigureAwait(false);
                }

                if (clock.Elapsed - lastSaved >= options.SaveElapsedInterval)
                {
                    await SaveElapsedAsync(cancellationToken).ConfigureAwait(false);
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            await PruneLeftBehindAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            // Jobs still running after this (a cancelled search) are told to pause: their checkpoints stand.
            events.Writer.TryComplete();
            DrainPendingDecisions();
            await polling.CancelAsync().ConfigureAwait(false);
            await poller.ConfigureAwait(false);
        }

        // Interrupted or not, the time used stands, so a resumed search gets only what is left of its budget.
        await SaveElapsedAsync(CancellationToken.None).ConfigureAwait(false);
        return new SearchSummary(started, completed, pruned, failed, epochsTrained, clock.Elapsed, best, interrupted);
    }

    private async Task SaveElapsedAsync(CancellationToken cancellationToken)
    {
        lastSaved = clock.Elapsed;
        if (options.SaveElapsed is { } save)
        {
            await save(Used, cancellationToken).ConfigureAwait(false);
        }
    }

    public TrialDecision OnEpochCompleted(EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reply = new TaskCompletionSource<TrialDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!events.Writer.TryWrite(new EpochEvent(report, reply)))
        {
            return TrialDecision.Pause;
        }

        // Called on the trainer's thread, which has nothing else to do until the decision comes.
        return reply.Task.GetAwaiter().GetResult();
    }

    public void OnRunEnded(TrialRunEnded ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        events.Writer.TryWrite(ended);
    }

    private async Task<object?> NextEventAsync(CancellationToken cancellationToken)
    {
        if (options.Budget.WallTime is not { } wall)
        {
            return await events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        // Wake up when the wall budget runs out even if no event comes.
        var left = wall - Used;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(left > TimeSpan.Zero ? left + TimeSpan.FromMilliseconds(1) : TimeSpan.FromMilliseconds(1));
        try
        {
            return await events.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // Called right after FillAsync: with nothing in flight, nothing could be started either (budget spent, proposer
    // dry or exhausted, no promotion due), and with nothing running no event will ever change that.
    private bool IsDone() => inFlight == 0;

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        while (inFlight < options.Concurrency && !BudgetSpent && !NoRoomForAnotherEpoch(TypicalSecondsPerEpoch()))
        {
            if (EarlyStopping.NextResumption() is { } resumption && trials.Values.FirstOrDefault(t => t.Number == resumption.TrialNumber) is { } paused)
            {
                paused.Paused = false;
                await DispatchAsync(paused, resumption.TargetEpoch, cancellationToken).ConfigureAwait(false);
                continue;
            }

            finishing = finishing || (completed == 0 && OnlyTimeToFinish());
            if (finishing || (options.Budget.MaxTrials is { } max && started >= max) || options.Proposer.IsExhausted)
            {
                // No new trial will come: the best survivors train on to their full budget rather than all being
                // pruned at a rung.
                if (!await FinishSurvivorAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (options.Proposer.Propose() is not { } proposal)
            {
                // "Nothing now" with nothing running will never change: finish what exists.
                if (inFlight == 0 && await FinishSurvivorAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                return;
            }

            var (trialId, number) = await ledger.AddTrialAsync(options.ExperimentId, proposal, cancellationToken).ConfigureAwait(false);
            options.Proposer.Added(number, proposal);
            var trial = new TrackedTrial(trialId, number, proposal.MaxEpochs);
            trials[trialId] = trial;
            started++;
            await DispatchAsync(trial, EarlyStopping.TargetEpoch(number), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> FinishSurvivorAsync(CancellationToken cancellationToken)
    {
        if (EarlyStopping.FinishingResumption() is { } resumption && trials.Values.FirstOrDefault(t => t.Number == resumption.TrialNumber && t.Paused) is { } paused)
        {
            paused.Paused = false;
            await DispatchAsync(paused, resumption.TargetEpoch, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether what is left of the budget is only enough to finish the best paused trial (at the speed its epochs
    /// went), so starting more trials would end the search with none trained to its full budget. Reserves half as much
    /// again for the trials running now and for epochs slower than measured.
    /// </summary>
    private bool OnlyTimeToFinish()
    {
        var survivor = trials.Values.Where(t => t.Paused && !t.Finished && t.BestScore is not null)
            .OrderByDescending(t => t.BestScore).ThenBy(t => t.Number).FirstOrDefault();
        if (survivor is null)
        {
            return false;
        }

        var epochsLeft = survivor.MaxEpochs - survivor.EpochsDone;
        if (options.Budget.MaxEpochs is { } maxEpochs && maxEpochs - epochsTrained <= 1.5 * epochsLeft)
        {
            return true;
        }

        return options.Budget.WallTime is { } wall && survivor.SecondsPerEpoch > 0
            && (wall - Used).TotalSeconds <= 1.5 * epochsLeft * survivor.SecondsPerEpoch;
    }

    private async Task DispatchAsync(TrackedTrial trial, int target, CancellationToken cancellationToken)
    {
        trial.Target = Math.Min(target, trial.MaxEpochs);
        trial.InFlight = true;
        inFlight++;
        await dispatcher.DispatchAsync(options.ExperimentId, trial.Id, trial.Number, trial.Target, trial.MaxEpochs, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleAsync(object next, CancellationToken cancellationToken)
    {
        switch (next)
        {
            case EpochEvent epoch:
                epoch.Reply.TrySetResult(Decide(epoch.Report));
                break;
            case TrialRunEnded ended:
                await EndedAsync(ended, cancellationToken).ConfigureAwait(false);
                break;
            case PollEvent:
                await ReadStoreAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private TrialDecision Decide(EpochReport report)
    {
        if (!trials.TryGetValue(report.TrialId, out var trial) || trial.Finished)
        {
            return TrialDecision.Pause;
        }

        if (countedEpochs.Add((report.TrialId, report.Epoch)))
        {
            epochsTrained++;
        }

        if (best is null || report.Score > best.ValidationAccuracy)
        {
            best = new BestTrial(report.TrialId, report.TrialNumber, report.Epoch, report.Score);
        }

        trial.BestScore = Math.Max(trial.BestScore ?? double.MinValue, report.Score);
        if (report.Metrics.Seconds > 0)
        {
            trial.SecondsPerEpoch = report.Metrics.Seconds;
        }

        var action = EarlyStopping.OnEpochReported(report.TrialNumber, report.Epoch, report.Score);
        trial.LastAction = action;
        trial.LastActionEpoch = report.Epoch;
        if (report.Epoch < trial.MaxEpochs && (BudgetSpent || NoRoomForAnotherEpoch(trial.SecondsPerEpoch)))
        {
            return TrialDecision.Pause;
        }

        return action switch
        {
            TrialAction.Stop => TrialDecision.Stop,
            TrialAction.Pause => TrialDecision.Pause,
            _ => TrialDecision.Continue,
        };
    }

    private async Task EndedAsync(TrialRunEnded ended, CancellationToken cancellationToken)
    {
        if (!trials.TryGetValue(ended.TrialId, out var trial) || trial.Finished || !trial.InFlight)
        {
            return;
        }

        switch (ended.Kind)
        {
            case TrialRunEndKind.Retrying:
                return;
            case TrialRunEndKind.Completed or TrialRunEndKind.Pruned or TrialRunEndKind.Failed:
                trial.Finished = true;
                trial.InFlight = false;
                inFlight--;
                var state = ended.Kind switch
                {
                    TrialRunEndKind.Completed => TrialEndState.Completed,
                    TrialRunEndKind.Pruned => TrialEndState.Pruned,
                    _ => TrialEndState.Failed,
                };
                Count(state);
                if (state == TrialEndState.Failed)
                {
                    EarlyStopping.OnTrialFailed(trial.Number);
                }

                options.Proposer.Tell(trial.Number, state, state == TrialEndState.Failed ? null : ended.BestScore);
                return;
            case TrialRunEndKind.Paused when ended.TargetEpoch == trial.Target:
                trial.InFlight = false;
                inFlight--;
                trial.EpochsDone = ended.EpochsDone;
                var promoted = trial.LastAction == TrialAction.Continue && trial.LastActionEpoch == ended.EpochsDone && !BudgetSpent
                    && !NoRoomForAnotherEpoch(trial.SecondsPerEpoch);
                if (promoted && ended.EpochsDone < trial.MaxEpochs)
                {
                    // Promoted the moment it reached its rung: it goes on from its checkpoint at once.
                    await DispatchAsync(trial, EarlyStopping.TargetEpoch(trial.Number), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    trial.Paused = true;
                }

                return;
            case TrialRunEndKind.Interrupted:
                // Its worker stopped (Ctrl-C on a worker machine); its job went back to the queue, so
                // the trial stays in flight until a worker takes it up again.
                return;
        }
    }

    private async Task PollAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                events.Writer.TryWrite(PollEvent.Instance);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Follows trials run by workers in other processes through the store: a new last epoch goes to the early-stopping
    /// scheduler (a remote job trains to its target and stops there, so its last epoch is the decision point), and a
    /// run that ended becomes the same event an in-process job would have sent. News already heard is ignored.
    /// </summary>
    private async Task ReadStoreAsync(CancellationToken cancellationToken)
    {
        foreach (var snapshot in await ledger.GetTrialsAsync(options.ExperimentId, cancellationToken).ConfigureAwait(false))
        {
            if (snapshot.Role != options.Role || !trials.TryGetValue(snapshot.TrialId, out var trial) || !trial.InFlight || trial.Finished)
            {
                continue;
            }

            // Epochs before the last were trained too (they count against the budget) but decided nothing.
            for (var epoch = 1; epoch < snapshot.EpochsDone; epoch++)
            {
                if (countedEpochs.Add((snapshot.TrialId, epoch)))
                {
                    epochsTrained++;
                }
            }

            if (snapshot.EpochsDone > 0 && snapshot.LatestScore is { } score && !countedEpochs.Contains((snapshot.TrialId, snapshot.EpochsDone)))
            {
                var metrics = new EpochMetrics(snapshot.EpochsDone, double.NaN, double.NaN, double.NaN, score, null, double.NaN, 0, 0);
                Decide(new EpochReport(snapshot.TrialId, snapshot.TrialNumber, metrics));
            }

            TrialRunEndKind? kind = snapshot.EndState switch
            {
                TrialEndState.Completed => TrialRunEndKind.Completed,
                TrialEndState.Pruned => TrialRunEndKind.Pruned,
                TrialEndState.Failed => TrialRunEndKind.Failed,
                _ => !snapshot.IsRunning && snapshot.EpochsDone >= trial.Target ? TrialRunEndKind.Paused : null,
            };
            if (kind is { } ended)
            {
                await EndedAsync(new TrialRunEnded(snapshot.TrialId, snapshot.TrialNumber, ended, trial.Target, snapshot.EpochsDone,
                    snapshot.BestValidationAccuracy), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PruneLeftBehindAsync(CancellationToken cancellationToken)
    {
        foreach (var trial in trials.Values.Where(t => t.Paused && !t.Finished).OrderBy(t => t.Number))
        {
            var reason = BudgetSpent ? $"the search budget was spent after epoch {trial.EpochsDone}"
                : closedEarly ? $"the search budget had no room for another epoch after epoch {trial.EpochsDone}"
                : $"not promoted past epoch {trial.EpochsDone} by {EarlyStopping}";
            if (await ledger.FinishWaitingAsync(trial.Id, TrialEnd.Pruned(reason), cancellationToken).ConfigureAwait(false))
            {
                trial.Finished = true;
                Count(TrialEndState.Pruned);
                options.Proposer.Tell(trial.Number, TrialEndState.Pruned, null);
            }
        }
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        // A resumed search: early stopping first takes back every stored score, so its rungs, promotions and paused
        // trials are those of the interrupted search. Finished trials count against the budget; a trial waiting at a
        // rung it was not promoted past stays paused (a promotion resumes it); the others are dispatched again (a job
        // that finds its trial already running, or already past its target, steps aside).
        var snapshots = (await ledger.GetTrialsAsync(options.ExperimentId, cancellationToken).ConfigureAwait(false))
            .Where(s => s.Role == options.Role).OrderBy(s => s.TrialNumber).ToArray();
        foreach (var snapshot in snapshots)
        {
            var scores = snapshot.EpochsDone > 0 ? await ledger.GetScoresAsync(snapshot.TrialId, cancellationToken).ConfigureAwait(false) : [];
            EarlyStopping.Restore(new TrialHistory(snapshot.TrialNumber, snapshot.EpochsDone, scores, snapshot.EndState is not null,
                snapshot.EndState == TrialEndState.Failed));
        }

        foreach (var snapshot in snapshots)
        {
            var trial = new TrackedTrial(snapshot.TrialId, snapshot.TrialNumber, snapshot.MaxEpochs)
            {
                EpochsDone = snapshot.EpochsDone,
                BestScore = snapshot.BestValidationAccuracy,
            };
            trials[snapshot.TrialId] = trial;
            started++;
            epochsTrained += snapshot.EpochsDone;
            var target = EarlyStopping.TargetEpoch(trial.Number);
            if (snapshot.EndState is { } end)
            {
                trial.Finished = true;
                Count(end);
            }
            else if (!snapshot.IsRunning && snapshot.EpochsDone > 0 && target <= snapshot.EpochsDone && snapshot.EpochsDone < snapshot.MaxEpochs)
            {
                trial.Paused = true;
            }
            else
            {
                await DispatchAsync(trial, Math.Max(target, snapshot.EpochsDone), cancellationToken).ConfigureAwait(false);
            }

            if (snapshot.BestValidationAccuracy is { } score && (best is null || score > best.ValidationAccuracy))
            {
                best = new BestTrial(snapshot.TrialId, snapshot.TrialNumber, snapshot.EpochsDone, score);
            }
        }
    }

    private void Count(TrialEndState state)
    {
        switch (state)
        {
            case TrialEndState.Completed:
                completed++;
                break;
            case TrialEndState.Pruned:
                pruned++;
                break;
            default:
                failed++;
                break;
        }
    }

    private void DrainPendingDecisions()
    {
        while (events.Reader.TryRead(out var left))
        {
            if (left is EpochEvent epoch)
            {
                epoch.Reply.TrySetResult(TrialDecision.Pause);
            }
        }
    }

    private sealed class PollEvent
    {
        public static readonly PollEvent Instance = new();
    }

    private sealed record EpochEvent(EpochReport Report, TaskCompletionSource<TrialDecision> Reply);

    private sealed class TrackedTrial(long id, int number, int maxEpochs)
    {
        public long Id { get; } = id;

        public int Number { get; } = number;

        public int MaxEpochs { get; } = maxEpochs;

        public int Target { get; set; }

        public int EpochsDone { get; set; }

        public bool InFlight { get; set; }

        public bool Paused { get; set; }

        public bool Finished { get; set; }

        public TrialAction? LastAction { get; set; }

        public double? BestScore { get; set; }

        /// <summary>How long its last epoch took (0 until one is reported with a time).</summary>
        public double SecondsPerEpoch { get; set; }

        public int LastActionEpoch { get; set; }
    }
}
