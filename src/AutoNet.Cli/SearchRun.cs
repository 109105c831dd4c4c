using System.Diagnostics;
using System.Globalization;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Export.Packaging;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
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
    public const string DemoSpace = DataAdvisor.QuickSpace;

    /// <summary>The demo's search, then its final training, when no budget is given.</summary>
    public static readonly (TimeSpan Search, TimeSpan Final) DemoBudget = (TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2));

    /// <summary>How many of the demo's training images each search trial trains on.</summary>
    public const int DemoSearchImages = 10_000;

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
        output.Started(setup, slots, torch.get_num_threads(), request.RemoteSlots);
        var summary = await ExperimentSearch.RunAsync(new ExperimentSearchOptions
        {
            Store = store,
            Experiment = setup.Experiment,
            Space = setup.Space,
            Data = setup.Data,
            Resumed = setup.Resumed,
            BudgetReplaced = request.TimeBudget is not null || request.MaxTrials is not null || request.MaxEpochs is not null,
            TimeBudgetReplaced = request.TimeBudget is not null,
            Slots = slots,
            RemoteSlots = request.RemoteSlots,
            Workspace = request.Workspace,
            PostgresConnection = store.Engine == StoreEngine.Postgres ? CliStore.PostgresConnectionString(request.StoreLocation) : null,
            Transfer = TransferBackbone.Sources,
            CheckChannels = channels => CheckPackageChannels(setup.Space, channels),
            FinalTrainingEndsBy = DataAdvisor.FinalTrainingEnd(request, setup.Data.Plan, setup.Resumed, DateTimeOffset.UtcNow - wall.Elapsed),
        }, output, cancellationToken).ConfigureAwait(false);

        // The time the user waited: data, search and final training (the coordinator's clock covers one phase).
        summary = summary with { Elapsed = wall.Elapsed };
        await output.FinishedAsync(store, setup, summary, request, CancellationToken.None).ConfigureAwait(false);
        return summary.Interrupted ? CliErrors.Interrupted : 0;
    }

    private static void Validate(SearchRequest request)
    {
        if (request.Strategy is { } strategy && !StrategyFactory.Names.Contains(strategy))
        {
            throw new CliException($"--strategy '{strategy}': expected one of {string.Join(", ", StrategyFactory.Names)}");
        }

        if (request.Scheduler is { } scheduler && !EarlyStoppingChoice.Names.Contains(scheduler))
        {
            throw new CliException($"--scheduler '{scheduler}': expected one of {string.Join(", ", EarlyStoppingChoice.Names)}");
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
        return ExperimentSetup.Resume(experiment, request.Workspace, request.TimeBudget, request.MaxTrials, request.MaxEpochs);
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
        CliException.Checking("--strategy", () =>
        {
            StrategyFactory.Validate(choices.Strategy, space);
            return choices.Strategy;
        });

        CliException.Checking("--space", () => EarlyStoppingChoice.MaxEpochs(space));
        var plan = new SearchPlan
        {
            WallTimeSeconds = choices.TimeBudget?.TotalSeconds,
            MaxTrials = choices.MaxTrials,
            MaxEpochs = choices.MaxEpochs,
            Resolution = choices.Resolution,
            ClassWeights = choices.ClassWeights,
            SearchTrainImages = choices.SearchTrainImages,
            FinalTrainingSeconds = choices.FinalTraining?.TotalSeconds,
        };
        CliException.Checking("the search's budget and resolution", () =>
        {
            plan.Validate();
            return plan;
        });
        var draft = new ExperimentDraft
        {
            Name = name,
            Source = demo || BuiltInDataSets.IsBuiltIn(request.Data!) ? listing.Source : Path.GetFullPath(request.Data!),
            Listing = listing,
            Split = split,
            Space = space,
            SpaceJson = spaceJson,
            SpacePath = spacePath,
            Strategy = choices.Strategy,
            Scheduler = choices.Scheduler,
            Plan = plan,
            Seed = request.Seed,
            Channels = packageChannels ?? 3,
            Demo = demo,
            Reasons = reasons,
            Transfer = TransferBackbone.Sources,
        };
        return await ExperimentSetup.CreateAsync(store, draft, request.Workspace, slots[0].Name, output.Note, cancellationToken).ConfigureAwait(false);
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
        var noBudget = request.TimeBudget is null && request.MaxTrials is null && request.MaxEpochs is null;
        var searchImages = request.SearchImages ?? DemoSearchImages;
        var final = request.FinalTraining is { } asked ? (asked > TimeSpan.Zero ? asked : (TimeSpan?)null) : noBudget ? DemoBudget.Final : null;
        var reasons = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"demo: no --data given, so Fashion-MNIST ({split.Count(SplitPart.Train):N0} training, {split.Count(SplitPart.Validation):N0} validation and {split.Count(SplitPart.Test):N0} of the official test images) at 28 x 28"),
            string.Create(CultureInfo.InvariantCulture,
                $"space {request.Space ?? DemoSpace}, strategy {request.Strategy ?? "proxy"}, scheduler {request.Scheduler ?? "asha"}: networks scored untrained by a zero-cost proxy first, then the best trained for two epochs on {Math.Min(searchImages, split.Count(SplitPart.Train)):N0} images"),
        };
        if (noBudget)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"budget: {Durations.Format(DemoBudget.Search)} of search, then the winner trained again on every training image for {Durations.Format(DemoBudget.Final)}; run with --data <folder> --time-budget 1h for your own images"));
        }

        return new SearchChoices(request.Space ?? DemoSpace, request.Strategy ?? "proxy", request.Scheduler ?? "asha", request.Resolution ?? 28,
            noBudget ? DemoBudget.Search : request.TimeBudget, request.MaxTrials, request.MaxEpochs, ClassWeights: false, reasons)
        {
            SearchTrainImages = searchImages,
            FinalTraining = final,
        };
    }
}
