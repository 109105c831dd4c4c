using System.Globalization;
using AutoNet.Data.Splits;
using AutoNet.Scheduling.Jobs;
using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Scheduling.Trials;
using AutoNet.Search.MultiFidelity;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Store;
using Hangfire;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// The search of one experiment once it is stored (created, or read back for a resume) and this process holds its
/// coordinator lease: the decoded cache, the strategy (its state restored on a resume), trials left running by a dead
/// process taken back, the coordinator with a worker on this process's slots until the budget is spent or the search
/// is cancelled, then the final training of the winner. The experiment ends Completed, or Stopped and resumable.
/// </summary>
public static class ExperimentSearch
{
    public static async Task<SearchSummary> RunAsync(ExperimentSearchOptions options, ISearchObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var (store, experiment, data) = (options.Store, options.Experiment, options.Data);
        if (options.Resumed && options.BudgetReplaced)
        {
            // A budget given with the resume replaces the stored one, for later resumes too (written only now that this
            // process is the experiment's coordinator); a new time budget counts from now.
            await store.SetBudgetAsync(experiment.Id, data.Plan.ToJson(), cancellationToken).ConfigureAwait(false);
            if (options.TimeBudgetReplaced)
            {
                await store.SetSearchSecondsAsync(experiment.Id, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        var cache = data.Cache(data.Plan.Resolution, observer.CacheProgress(), cancellationToken);
        options.CheckChannels?.Invoke(cache.Channels);
        var guard = new ComplexityGuard(options.Space, cache.Channels, cache.ClassNames.Count, cache.Height, cache.Width);
        var oneShot = experiment.Strategy == "oneshot";
        var supernetFile = Path.Join(TrialRequestFactory.ExperimentDirectory(options.Workspace, experiment.Name), "supernet.bin");
        if (oneShot && !options.Resumed && File.Exists(supernetFile))
        {
            // Only a resumed search takes back its own supernet, never one left by an earlier experiment of the same name.
            File.Delete(supernetFile);
        }

        var scorer = !StrategyFactory.NeedsScorer(experiment.Strategy) ? null
            : oneShot ? (IArchitectureScorer)SupernetScorer.For(data, options.Space, guard, experiment.Seed, observer, supernetFile)
            : ZeroCostScorer.For(data, options.Space, guard, experiment.Seed, observer);
        using var ownedScorer = scorer as IDisposable;
        using var strategy = new OwnedStrategy(StrategyFactory.Create(experiment.Strategy, options.Space, experiment.Seed, scorer,
            oneShot ? StrategyFactory.OneShotPoolSize : ZeroCostScorer.PoolSize(data.Plan)));
        var proposer = new StrategyProposer(strategy.Strategy, guard, StrategyProposer.SaveTo(store, experiment.Id));
        if (options.Resumed && await store.LoadStrategyStateAsync(experiment.Id, cancellationToken).ConfigureAwait(false) is { } state)
        {
            proposer.LoadState(state);
        }

        if (store.Engine != StoreEngine.Postgres)
        {
            // This process holds the store's lock: a trial still marked Running was left by a process that died.
            await store.RequeueStaleTrialsAsync(TimeSpan.Zero, TrialWorkerOptions.DefaultMaxUnendedRuns, cancellationToken).ConfigureAwait(false);
        }

        await store.SetExperimentStateAsync(experiment.Id, ExperimentState.Running, cancellationToken).ConfigureAwait(false);
        var jobs = TrainingWorkers.JobStorage(store, options.PostgresConnection);
        using var ownedJobs = jobs as IDisposable;
        var ledger = new ExperimentStoreLedger(store);
        var dispatcher = new HangfireTrialDispatcher(jobs, TrialQueues.Dispatch(options.Slots));
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = proposer,
            EarlyStopping = EarlyStoppingChoice.Create(experiment.Scheduler, EarlyStoppingChoice.MaxEpochs(options.Space)),
            Budget = data.Plan.Budget,
            Concurrency = options.Slots.Count + options.RemoteSlots,
            // Workers on other machines (PostgreSQL) report through the store only.
            PollInterval = store.Engine == StoreEngine.Postgres ? TimeSpan.FromSeconds(5) : null,
            // A resumed search keeps what is left of its wall budget; a time budget given with the resume replaces it.
            ElapsedBefore = options.Resumed && !options.TimeBudgetReplaced ? TimeSpan.FromSeconds(experiment.SearchSeconds) : TimeSpan.Zero,
            SaveElapsed = (used, ct) => store.SetSearchSecondsAsync(experiment.Id, used.TotalSeconds, ct),
        }, ledger, dispatcher);
        TrialWorker NewWorker(ITrialEventSink events) => TrainingWorkers.Create(store, jobs, options.Workspace, options.Slots, options.Transfer, events);

        var trials = await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false);
        var summary = new SearchSummary(0, 0, 0, 0, 0, TimeSpan.Zero, coordinator.Best, Interrupted: false);
        if (!trials.Any(t => t.Role == TrialRole.Final))
        {
            summary = await RunPhaseAsync(coordinator, NewWorker, observer, store, experiment, cancellationToken).ConfigureAwait(false);
        }

        // The search is over (or was over before a resume): the winner is trained again on every training image.
        if (!summary.Interrupted && data.Plan.FinalTrainingSeconds is not null)
        {
            var final = await FinalAsync(options, ledger, dispatcher, NewWorker, observer, cancellationToken).ConfigureAwait(false);
            summary = summary with { Interrupted = final?.Interrupted ?? false };
        }

        await store.SetExperimentStateAsync(experiment.Id, summary.Interrupted ? ExperimentState.Stopped : ExperimentState.Completed, CancellationToken.None)
            .ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// The final training of the winner as a trial of its own (role Final): the same jobs, checkpoints and recovery as
    /// a search trial, no early stopping, its epochs fitted to the plan's time. A resumed experiment whose final
    /// training had begun goes on with it. Null when no search trial has a score, so there is nothing to retrain.
    /// </summary>
    private static async Task<SearchSummary?> FinalAsync(ExperimentSearchOptions options, ExperimentStoreLedger ledger, ITrialDispatcher dispatcher,
        Func<ITrialEventSink, TrialWorker> newWorker, ISearchObserver observer, CancellationToken cancellationToken)
    {
        var (store, experiment, data) = (options.Store, options.Experiment, options.Data);
        var existing = (await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false)).LastOrDefault(t => t.Role == TrialRole.Final);
        TrialProposal proposal;
        int epochs;
        if (existing is not null)
        {
            epochs = ExperimentStoreLedger.MaxEpochs(existing.HyperparametersJson);
            proposal = new TrialProposal(existing.GenotypeJson, existing.GenotypeHash, existing.HyperparametersJson, epochs) { Role = TrialRole.Final };
            observer.Note(string.Create(CultureInfo.InvariantCulture, $"final training: trial {existing.Number} ({existing.State.ToString().ToLowerInvariant()}, {existing.EpochsDone} of {epochs} epochs)"));
        }
        else if (await FinalTraining.PlanAsync(store, experiment, data, options.FinalTrainingEndsBy - DateTimeOffset.UtcNow, cancellationToken)
            .ConfigureAwait(false) is { } plan)
        {
            (proposal, epochs) = (plan.Proposal, plan.Epochs);
            observer.Note(plan.Describe(data.Split.Count(SplitPart.Train)));
        }
        else
        {
            observer.Note("final training: no search trial has a validation score, so there is no winner to train again");
            return null;
        }

        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = new SingleTrialProposer(proposal),
            EarlyStopping = new FifoScheduler(epochs),
            Budget = new SearchBudget(MaxTrials: 1),
            Concurrency = 1,
            PollInterval = store.Engine == StoreEngine.Postgres ? TimeSpan.FromSeconds(5) : null,
            Role = TrialRole.Final,
        }, ledger, dispatcher);
        return await RunPhaseAsync(coordinator, newWorker, observer, store, experiment, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SearchSummary> RunPhaseAsync(SearchCoordinator coordinator, Func<ITrialEventSink, TrialWorker> newWorker, ISearchObserver observer,
        IExperimentStore store, Experiment experiment, CancellationToken cancellationToken)
    {
        await using var worker = newWorker(coordinator);
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        using var watching = new CancellationTokenSource();
        var watcher = observer.WatchAsync(store, experiment, coordinator, watching.Token);
        try
        {
            return await coordinator.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Running trials stop at their next step and go back to Waiting; their last checkpoint stands.
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await watching.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }
    }
}
