using System.Diagnostics;
using System.Globalization;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Search.MultiFidelity;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Store;
using TorchSharp;

namespace AutoNet.Cli;

/// <summary>
/// One `autonet search` session: a new experiment (data listed, split, choices made, decoded cache built, experiment
/// stored) or a resumed one (everything read back from the store), then a local worker on the device slots and the
/// coordinator proposing trials until the budget is spent or Ctrl-C. The experiment ends Completed, or Stopped and
/// resumable when interrupted.
/// </summary>
public static class SearchRun
{
    public const string DemoSpace = "macro-cnn-tiny";

    public static readonly string[] Schedulers = ["asha", "fifo", "median"];

    public static async Task<int> RunAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wall = Stopwatch.StartNew();
        Validate(request);
        var output = SearchOutput.Create(request);
        var gpus = TorchDevices.CudaDeviceCount;
        var slots = CliException.Checking("--device", () => TrainingWorkers.Slots(request.Device, request.Workers, gpus));
        TrainingWorkers.ShareCores(slots);

        if (request.Resume is null && request.Data is { } data)
        {
            CliStore.EnsureOutsideData(request.Workspace, request.StoreLocation, data);
        }

        // A resumed experiment's data folder is in the store, which must already exist: nothing is created to find it.
        await using var store = request.Resume is null
            ? await CliStore.OpenAsync(request.StoreLocation, cancellationToken).ConfigureAwait(false)
            : await CliStore.OpenExistingAsync(request.StoreLocation, cancellationToken).ConfigureAwait(false);
        if (store.Engine != StoreEngine.Postgres && request.RemoteSlots > 0)
        {
            throw new CliException("--remote-slots needs a PostgreSQL store: workers on other machines cannot share an embedded store file");
        }

        if (request.Resume is { } resumed)
        {
            var stored = await CliStore.ExperimentAsync(store, resumed, cancellationToken).ConfigureAwait(false);
            CliStore.EnsureOutsideData(request.Workspace, request.StoreLocation, stored.DataSource);
        }

        using var storeLock = store.Engine != StoreEngine.Postgres ? StoreLock.Acquire(CliStore.FilePath(request.StoreLocation)) : null;
        CliStore.RemoveLegacyJobStore(request.StoreLocation);
        var setup = request.Resume is { } resume
            ? await ResumeAsync(store, request, resume, cancellationToken).ConfigureAwait(false)
            : await CreateAsync(store, request, slots, gpus > 0 && slots.Any(s => s.IsCuda), output, cancellationToken).ConfigureAwait(false);
        // One coordinator per experiment (on PostgreSQL a second machine could resume it too): a second is refused,
        // naming the host and process that runs it, before it touches the experiment.
        await using var coordinator = await store.HoldCoordinatorAsync(setup.Experiment, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunExperimentAsync(store, request, setup, slots, output, wall, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C before the search could record its own end (during set-up): the experiment can be resumed.
            await store.SetExperimentStateAsync(setup.Experiment.Id, ExperimentState.Stopped, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordFailureAsync(store, setup.Experiment, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Records why an experiment failed, so `autonet experiments` shows it Failed with the reason rather than Running
    /// for ever. When the store itself is what failed, the write fails too, and the original error is what the user sees.
    /// </summary>
    private static async Task RecordFailureAsync(IExperimentStore store, Experiment experiment, Exception error)
    {
        try
        {
            await store.FailExperimentAsync(experiment.Id, error.Message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ExperimentStoreException or IOException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The store cannot take the failure either; the error that caused it is reported by the caller.
        }
    }

    private static async Task<int> RunExperimentAsync(IExperimentStore store, SearchRequest request, SearchSetup setup, IReadOnlyList<DeviceSlot> slots,
        SearchOutput output, Stopwatch wall, CancellationToken cancellationToken)
    {
        var experiment = setup.Experiment;
        if (setup.Resumed && (request.TimeBudget is not null || request.MaxTrials is not null || request.MaxEpochs is not null))
        {
            // A budget given with --resume replaces the stored one, for later resumes too (written only now that this
            // process is the experiment's coordinator); a new time budget counts from now.
            await store.SetBudgetAsync(experiment.Id, setup.Data.Plan.ToJson(), cancellationToken).ConfigureAwait(false);
            if (request.TimeBudget is not null)
            {
                await store.SetSearchSecondsAsync(experiment.Id, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        output.Started(setup, slots, torch.get_num_threads(), request.RemoteSlots);

        var cache = setup.Data.Cache(setup.Data.Plan.Resolution, output.CacheProgress(), cancellationToken);
        CheckPackageChannels(setup.Space, cache.Channels);
        using var strategy = new DisposableStrategy(StrategyFactory.Create(experiment.Strategy, setup.Space, experiment.Seed));
        var guard = new ComplexityGuard(setup.Space, cache.Channels, cache.ClassNames.Count, cache.Height, cache.Width);
        var proposer = new StrategyProposer(strategy.Strategy, guard, StrategyProposer.SaveTo(store, experiment.Id));
        if (request.Resume is not null && await store.LoadStrategyStateAsync(experiment.Id, cancellationToken).ConfigureAwait(false) is { } state)
        {
            proposer.LoadState(state);
        }

        if (store.Engine != StoreEngine.Postgres)
        {
            // This process holds the store's lock: a trial still marked Running was left by a process that died.
            await store.RequeueStaleTrialsAsync(TimeSpan.Zero, maxAttempts: 5, cancellationToken).ConfigureAwait(false);
        }

        await store.SetExperimentStateAsync(experiment.Id, ExperimentState.Running, cancellationToken).ConfigureAwait(false);
        var jobs = TrainingWorkers.JobStorage(store, CliStore.PostgresConnectionString(request.StoreLocation));
        using var ownedJobs = jobs as IDisposable;
        var ledger = new ExperimentStoreLedger(store);
        var dispatcher = new WorkerDispatcher(jobs, slots);
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = proposer,
            EarlyStopping = EarlyStopping(experiment.Scheduler, MaxEpochs(setup.Space)),
            Budget = setup.Data.Plan.Budget,
            Concurrency = slots.Count + request.RemoteSlots,
            // Workers on other machines (PostgreSQL) report through the store only.
            PollInterval = store.Engine == StoreEngine.Postgres ? TimeSpan.FromSeconds(5) : null,
            // A resumed search keeps what is left of its wall budget; a budget given with --resume replaces it.
            ElapsedBefore = setup.Resumed && request.TimeBudget is null ? TimeSpan.FromSeconds(experiment.SearchSeconds) : TimeSpan.Zero,
            SaveElapsed = (used, ct) => store.SetSearchSecondsAsync(experiment.Id, used.TotalSeconds, ct),
        }, ledger, dispatcher);
        TrialWorker NewWorker(ITrialEventSink coordinator) => TrainingWorkers.Create(store, jobs, request.Workspace, slots, TransferBackbone.Sources, coordinator);

        var trials = await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false);
        var finalStarted = trials.Any(t => t.Role == TrialRole.Final);
        var summary = new SearchSummary(0, 0, 0, 0, 0, TimeSpan.Zero, coordinator.Best, Interrupted: false);
        if (!finalStarted)
        {
            summary = await RunCoordinatorAsync(coordinator, NewWorker, output, store, experiment, cancellationToken).ConfigureAwait(false);
        }

        // The search is over (or was over before a resume): the winner is trained again on every training image.
        if (!summary.Interrupted && setup.Data.Plan.FinalTrainingSeconds is not null)
        {
            var final = await FinalAsync(store, setup, ledger, dispatcher, NewWorker, output, cancellationToken).ConfigureAwait(false);
            summary = summary with { Interrupted = final?.Interrupted ?? false };
        }

        await store.SetExperimentStateAsync(experiment.Id, summary.Interrupted ? ExperimentState.Stopped : ExperimentState.Completed, CancellationToken.None)
            .ConfigureAwait(false);
        // The time the user waited: data, search and final training (the coordinator's clock covers one phase).
        summary = summary with { Elapsed = wall.Elapsed };
        await output.FinishedAsync(store, setup, summary, request, CancellationToken.None).ConfigureAwait(false);
        return summary.Interrupted ? CliErrors.Interrupted : 0;
    }

    /// <summary>
    /// The final training of the winner as a trial of its own (role Final): the same jobs, checkpoints and recovery as
    /// a search trial, no early stopping, its epochs fitted to the plan's time. A resumed experiment whose final
    /// training had begun goes on with it. Null when no search trial has a score, so there is nothing to retrain.
    /// </summary>
    private static async Task<SearchSummary?> FinalAsync(IExperimentStore store, SearchSetup setup, ExperimentStoreLedger ledger, WorkerDispatcher dispatcher,
        Func<ITrialEventSink, TrialWorker> newWorker, SearchOutput output,
        CancellationToken cancellationToken)
    {
        var experiment = setup.Experiment;
        var existing = (await store.ListTrialsAsync(experiment.Id, null, cancellationToken).ConfigureAwait(false)).LastOrDefault(t => t.Role == TrialRole.Final);
        TrialProposal proposal;
        int epochs;
        if (existing is not null)
        {
            epochs = ExperimentStoreLedger.MaxEpochs(existing.HyperparametersJson);
            proposal = new TrialProposal(existing.GenotypeJson, existing.GenotypeHash, existing.HyperparametersJson, epochs) { Role = TrialRole.Final };
            output.Note(string.Create(CultureInfo.InvariantCulture, $"final training: trial {existing.Number} ({existing.State.ToString().ToLowerInvariant()}, {existing.EpochsDone} of {epochs} epochs)"));
        }
        else if (await FinalTraining.PlanAsync(store, experiment, setup.Data, cancellationToken).ConfigureAwait(false) is { } plan)
        {
            (proposal, epochs) = (plan.Proposal, plan.Epochs);
            output.Note(plan.Describe(setup.Data.Split.Count(SplitPart.Train)));
        }
        else
        {
            output.Note("final training: no search trial has a validation score, so there is no winner to train again");
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
        return await RunCoordinatorAsync(coordinator, newWorker, output, store, experiment, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SearchSummary> RunCoordinatorAsync(SearchCoordinator coordinator, Func<ITrialEventSink, TrialWorker> newWorker, SearchOutput output,
        IExperimentStore store, Experiment experiment, CancellationToken cancellationToken)
    {
        await using var worker = newWorker(coordinator);
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        using var watching = new CancellationTokenSource();
        var watcher = output.WatchAsync(store, experiment, coordinator, watching.Token);
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

    /// <summary>The epoch budget of the space's longest trial: its <c>hp/epochs</c> upper end (what ASHA's rungs climb to).</summary>
    public static int MaxEpochs(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.TryGetDecision(SpaceLabels.Epochs, out var epochs))
        {
            return epochs switch
            {
                IntParameter p => (int)p.High,
                CategoricalParameter c => c.Choices.Max(v => v.AsInt32()),
                _ => throw new CliException($"the space '{space.Name}' has a non-integer '{SpaceLabels.Epochs}'"),
            };
        }

        throw new CliException($"the space '{space.Name}' has no '{SpaceLabels.Epochs}' decision: a search needs each trial's epoch budget");
    }

    public static ITrialScheduler EarlyStopping(string name, int maxEpochs) => name switch
    {
        "asha" => new AshaScheduler(minEpochs: 1, maxEpochs: maxEpochs, reductionFactor: 3),
        "fifo" => new FifoScheduler(maxEpochs),
        "median" => new MedianStoppingRule(maxEpochs),
        _ => throw new CliException($"--scheduler '{name}': expected one of {string.Join(", ", Schedulers)}"),
    };

    private static void Validate(SearchRequest request)
    {
        if (request.Strategy is { } strategy && !StrategyFactory.Names.Contains(strategy))
        {
            throw new CliException($"--strategy '{strategy}': expected one of {string.Join(", ", StrategyFactory.Names)}");
        }

        if (request.Scheduler is { } scheduler && !Schedulers.Contains(scheduler))
        {
            throw new CliException($"--scheduler '{scheduler}': expected one of {string.Join(", ", Schedulers)}");
        }

        if (request.RemoteSlots < 0)
        {
            throw new CliException($"--remote-slots {request.RemoteSlots}: expected 0 or more");
        }

        if (request.MaxTrials is < 1 || request.MaxEpochs is < 1 || request.Workers is < 1 || request.Resolution is < 8 || request.SearchImages is < 1)
        {
            throw new CliException("--max-trials, --max-epochs, --workers and --search-images must be at least 1, --resolution at least 8");
        }

        if (request.Resume is not null && ((request.Data ?? request.Space ?? request.Strategy ?? request.Scheduler ?? request.Experiment ?? request.BackboneWeights) is not null
            || request.SearchImages is not null || request.FinalTraining is not null))
        {
            throw new CliException("--resume continues an experiment with its stored data, space, backbone weights, strategy, scheduler and final training; leave out --data, --space, --backbone-weights, --strategy, --scheduler, --experiment, --search-images and --final-training");
        }

        if (request.Space is { } space)
        {
            // A space that cannot be read is refused before the store is opened, so it leaves nothing behind.
            _ = SearchSpaceCatalog.Default.Resolve(space);
        }
    }

    private static async Task<SearchSetup> ResumeAsync(IExperimentStore store, SearchRequest request, string name, CancellationToken cancellationToken)
    {
        var experiment = await CliStore.ExperimentAsync(store, name, cancellationToken).ConfigureAwait(false);
        var space = new SearchSpaceReader().Parse(experiment.SearchSpaceJson, $"experiment '{experiment.Name}' space");
        var data = ExperimentData.For(experiment, request.Workspace);
        var plan = data.Plan;
        if (request.TimeBudget is not null || request.MaxTrials is not null || request.MaxEpochs is not null)
        {
            // A resumed search may be given more budget; the rest of the plan stays as stored.
            plan = plan with
            {
                WallTimeSeconds = request.TimeBudget?.TotalSeconds ?? plan.WallTimeSeconds,
                MaxTrials = request.MaxTrials ?? plan.MaxTrials,
                MaxEpochs = request.MaxEpochs ?? plan.MaxEpochs,
            };
            data = new ExperimentData(request.Workspace, data.Listing, data.Split, plan);
        }

        return new SearchSetup(experiment, space, data, Resumed: true, Demo: false, [$"resuming experiment '{experiment.Name}' ({experiment.State})"]);
    }

    private static async Task<SearchSetup> CreateAsync(IExperimentStore store, SearchRequest request, IReadOnlyList<DeviceSlot> slots, bool gpu,
        SearchOutput output, CancellationToken cancellationToken)
    {
        var name = request.Experiment ?? string.Create(CultureInfo.InvariantCulture, $"search-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        if (await store.GetExperimentAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new CliException($"the experiment '{name}' already exists in {store.Location}; continue it with --resume {name}, or pick another --experiment");
        }

        if (request.BackboneWeights is not null && request.Space is null)
        {
            // Pretrained weights only make sense in the transfer space.
            request = request with { Space = "transfer" };
        }

        var demo = request.Data is null;
        var listing = demo ? DemoData.Open(request.Seed) : DataSetSources.Open(request.Data!);
        var split = new StratifiedSplitter(seed: request.Seed).Split(listing);
        var choices = demo ? DemoChoices(request, split) : DataAdvisor.Choose(listing, split, request, gpu);
        var catalog = SearchSpaceCatalog.Default;
        var spacePath = catalog.ResolvePath(choices.Space);
        var space = catalog.Resolve(choices.Space);
        var spaceJson = await File.ReadAllTextAsync(spacePath, cancellationToken).ConfigureAwait(false);
        var reasons = choices.Reasons.ToList();
        int? packageChannels = null;
        if (space.Kind == SearchSpaceKind.Transfer)
        {
            if (request.BackboneWeights is not { } weights)
            {
                throw new CliException($"--space '{choices.Space}' is a transfer space: it fine-tunes a pretrained network. {TransferBackbone.HowToGetWeights}");
            }

            (spaceJson, var found, packageChannels) = TransferBackbone.Pin(spaceJson, weights);
            space = new SearchSpaceReader().Parse(spaceJson, spacePath);
            reasons.Add(found);
        }
        else if (request.BackboneWeights is not null)
        {
            throw new CliException($"{TransferBackbone.Option} is for a transfer space (--space transfer); '{choices.Space}' is a {space.Kind.ToString().ToLowerInvariant()} space");
        }

        // An unknown strategy (or one that cannot search this space) is refused before anything is stored.
        using (new DisposableStrategy(StrategyFactory.Create(choices.Strategy, space, request.Seed)))
        {
        }

        MaxEpochs(space);
        if (choices.TimeBudget is { } wall)
        {
            // Trials as long as the space allows would not finish within a short budget: cap them to what fits here.
            output.Note(string.Create(CultureInfo.InvariantCulture,
                $"timing {TrialLengthFit.ProbedArchitectures} architectures of '{space.Name}' on {slots[0].Name} to fit trial lengths to the budget…"));
            var shape = new TrialDataShape(Channels: packageChannels ?? 3, listing.ClassNames.Count, choices.Resolution,
                Math.Min(split.Count(SplitPart.Train), request.SearchImages ?? int.MaxValue), split.Count(SplitPart.Validation));
            if (TrialLengthFit.Plan(space, spaceJson, shape, wall, request.Seed, TorchDevices.Parse(slots[0].Name), TransferBackbone.Sources) is { } fit)
            {
                reasons.Add(fit.Reason);
                spaceJson = fit.SpaceJson;
                space = new SearchSpaceReader().Parse(spaceJson, spacePath);
            }
        }

        var plan = new SearchPlan
        {
            WallTimeSeconds = choices.TimeBudget?.TotalSeconds,
            MaxTrials = choices.MaxTrials,
            MaxEpochs = choices.MaxEpochs,
            Resolution = choices.Resolution,
            ClassWeights = choices.ClassWeights,
            SearchTrainImages = request.SearchImages,
            FinalTrainingSeconds = request.FinalTraining?.TotalSeconds,
        };
        CliException.Checking("the search's budget and resolution", () =>
        {
            plan.Validate();
            return plan;
        });
        var data = new ExperimentData(request.Workspace, listing, split, plan);
        var source = demo || BuiltInDataSets.IsBuiltIn(request.Data!) ? listing.Source : Path.GetFullPath(request.Data!);
        var experiment = await store.CreateExperimentAsync(new NewExperiment(name, source, split.ToJson(), space.Name, spaceJson,
            choices.Strategy, choices.Scheduler, plan.ToJson(), request.Seed), cancellationToken).ConfigureAwait(false);
        return new SearchSetup(experiment, space, data, Resumed: false, demo, reasons);
    }

    /// <summary>A package backbone sees images as it was trained on them: the data must have its channel count.</summary>
    private static void CheckPackageChannels(SearchSpace space, int channels)
    {
        if (TransferBackbone.PackageOf(space) is { } package && ModelPackage.ReadDescription(package).Preprocessing.Channels is var expected && expected != channels)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{TransferBackbone.Option} {package}: the package takes {expected}-channel images and the data's decoded cache has {channels}; transfer from a package trained on images like these"));
        }
    }

    private static SearchChoices DemoChoices(SearchRequest request, DataSplit split)
    {
        var reasons = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"demo: no --data given, so a {split.Count(SplitPart.Train) + split.Count(SplitPart.Validation):N0}-image Fashion-MNIST subset ({split.Count(SplitPart.Test)} test images) at 28 x 28"),
            $"space {request.Space ?? DemoSpace}, strategy {request.Strategy ?? "random"}, scheduler {request.Scheduler ?? "asha"}: small convolution stacks of 3 epochs, weak ones stopped after 1",
        };
        var noBudget = request.TimeBudget is null && request.MaxTrials is null && request.MaxEpochs is null;
        if (noBudget)
        {
            reasons.Add("budget: 12 trials or 10 minutes, whichever comes first; run with --data <folder> for your own images");
        }

        return new SearchChoices(request.Space ?? DemoSpace, request.Strategy ?? "random", request.Scheduler ?? "asha", request.Resolution ?? 28,
            noBudget ? TimeSpan.FromMinutes(10) : request.TimeBudget, noBudget ? 12 : request.MaxTrials, request.MaxEpochs, ClassWeights: false, reasons);
    }

    /// <summary>Strategies holding native memory (the RL controller) are disposable; the rest are not.</summary>
    private sealed class DisposableStrategy(ISearchStrategy strategy) : IDisposable
    {
        public ISearchStrategy Strategy { get; } = strategy;

        public void Dispose() => (Strategy as IDisposable)?.Dispose();
    }
}
