using System.Diagnostics;
using System.Globalization;
using AutoNet.Experiments.SchedulingOverhead;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Jobs;
using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Search.MultiFidelity;
using AutoNet.Store;
using Hangfire;
using Hangfire.Common;

// Scheduling overhead per trial on every store engine: a search of 1,000 trivial trials (one epoch that takes no
// time) on 8 slots, through the real coordinator, store ledger, Hangfire queue and trial jobs. It times, per run,
// enqueue → start, and per slot, finish → next start (the slot idle between two trials: the store's finish write,
// the coordinator's next proposal, its store insert and dispatch, Hangfire's fetch and the claim). The peer, measured
// in the same run on the same Hangfire storage, is a bare Hangfire job that only enqueues the next one as it ends:
// the ratio is what AutoNet adds to Hangfire's own cost.
//   dotnet run -c Release --project experiments/bench/SchedulingOverhead -- [--trials 1000] [--slots 8] [--postgres "Host=…;Database=…"]
var trials = Option("--trials", 1000);
var slots = Option("--slots", 8);
var postgres = TextOption("--postgres");
var folder = Path.Combine(Path.GetTempPath(), "autonet-scheduling-overhead-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var rows = new List<string>();
try
{
    var engines = postgres is null ? new[] { StoreEngine.Sqlite, StoreEngine.LiteDb } : [StoreEngine.Sqlite, StoreEngine.LiteDb, StoreEngine.Postgres];
    foreach (var engine in engines)
    {
        await using var store = engine switch
        {
            StoreEngine.Sqlite => await ExperimentStore.OpenSqliteAsync(Path.Combine(folder, "store.sqlite")),
            StoreEngine.LiteDb => await ExperimentStore.OpenLiteDbAsync(Path.Combine(folder, "store.litedb")),
            _ => await ExperimentStore.OpenPostgresAsync(postgres!),
        };
        var storage = engine == StoreEngine.Postgres ? TrialJobStorage.Postgres(postgres!, pollInterval: TimeSpan.FromMilliseconds(100)) : TrialJobStorage.InMemory();
        var autonet = await SearchAsync(store, storage, engine);
        var peer = Peer(storage);
        (storage as IDisposable)?.Dispose();
        rows.Add(Row(engine, "enqueue→start", autonet.EnqueueToStart, peer.EnqueueToStart));
        rows.Add(Row(engine, "finish→next", autonet.FinishToNextStart, peer.FinishToNextStart));
    }

    Console.WriteLine(FormattableString.Invariant($"trials={trials} slots={slots}; milliseconds; peer = a bare Hangfire job on the same storage"));
    Console.WriteLine("engine   what            autonet median   p95    peer median   p95   ratio (medians)");
    rows.ForEach(Console.WriteLine);
}
finally
{
    Directory.Delete(folder, recursive: true);
}

async Task<Timeline> SearchAsync(IExperimentStore store, JobStorage storage, StoreEngine engine)
{
    var timeline = new Timeline();
    var experiment = await store.CreateExperimentAsync(new NewExperiment($"overhead-{engine}", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
    var ledger = new ExperimentStoreLedger(store);
    var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
    {
        ExperimentId = experiment.Id,
        Proposer = new OneEpochProposer(),
        EarlyStopping = new FifoScheduler(1),
        Budget = new SearchBudget(MaxTrials: trials),
        Concurrency = slots,
    }, ledger, new TimedDispatcher(new HangfireTrialDispatcher(storage, TrialQueues.Cpu), timeline));
    var options = new TrialWorkerOptions
    {
        WorkerId = "bench",
        Storage = storage,
        Slots = Enumerable.Range(0, slots).Select(i => new DeviceSlot("cpu")).ToArray(),
        PollInterval = TimeSpan.FromMilliseconds(100),
    };
    await using var worker = new TrialWorker(options, ledger, new InstantRunner(timeline), coordinator);
    await worker.StartAsync();
    var clock = Stopwatch.StartNew();
    var summary = await coordinator.RunAsync();
    Console.WriteLine(FormattableString.Invariant($"{engine}: {summary.Completed} trials completed in {clock.Elapsed.TotalSeconds:0.0} s"));
    return timeline;
}

Timeline Peer(JobStorage storage)
{
    var timeline = new Timeline();
    BareJob.Prepare(timeline, storage, trials);
    using var server = new BackgroundJobServer(new BackgroundJobServerOptions
    {
        WorkerCount = slots,
        Queues = ["bare"],
        SchedulePollingInterval = TimeSpan.FromMilliseconds(100),
        FilterProvider = new JobFilterCollection(),
    }, storage);
    for (var i = 0; i < slots; i++)
    {
        BareJob.Enqueue();
    }

    while (timeline.Started_ < trials)
    {
        Thread.Sleep(20);
    }

    return timeline;
}

static string Row(StoreEngine engine, string what, IReadOnlyCollection<double> ours, IReadOnlyCollection<double> peer) =>
    FormattableString.Invariant($"{engine,-8} {what,-15} {Percentile(ours, 0.5),12:0.00} {Percentile(ours, 0.95),7:0.00} {Percentile(peer, 0.5),12:0.00} {Percentile(peer, 0.95),6:0.00} {Percentile(ours, 0.5) / Percentile(peer, 0.5),8:0.00}x");

static double Percentile(IReadOnlyCollection<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

int Option(string name, int fallback) =>
    TextOption(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? TextOption(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
