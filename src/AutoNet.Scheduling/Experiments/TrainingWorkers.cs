using System.Globalization;
using AutoNet.Scheduling.Jobs;
using AutoNet.Scheduling.Store;
using AutoNet.Scheduling.Trials;
using AutoNet.Store;
using Hangfire;
using TorchSharp;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// The one place a training process is assembled, for `search` (whose own slots train beside the coordinator) and
/// `worker` (which only trains): its device slots, its share of the cores, the store's job queue, and a worker whose
/// trial runner builds trials from the store and keeps checkpoints where every machine of the store finds them.
/// </summary>
public static class TrainingWorkers
{
    /// <summary>
    /// The slots of <paramref name="device"/> (<c>cpu</c>, <c>cuda</c>, <c>cuda:0,1</c>, <c>auto</c>); with
    /// <paramref name="workers"/> more (or fewer) trials at once than devices, the slots are repeated (on the CPU each
    /// trial then gets a share of the cores).
    /// </summary>
    public static IReadOnlyList<DeviceSlot> Slots(string device, int? workers, int cudaDevices)
    {
        var slots = DeviceSlots.Parse(device, cudaDevices);
        return workers is not { } count || count == slots.Count ? slots : [.. Enumerable.Range(0, count).Select(i => slots[i % slots.Count])];
    }

    /// <summary>Intra-op threads are per process: the CPU slots share the cores, a GPU slot needs few.</summary>
    public static void ShareCores(IReadOnlyList<DeviceSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / Math.Max(1, slots.Count(s => !s.IsCuda))));
    }

    /// <summary>
    /// The trial job queue of the store at <paramref name="location"/>: in this process's memory beside an embedded
    /// store (one process trains on it), on the server beside a PostgreSQL store (<paramref name="postgresConnection"/>).
    /// </summary>
    public static JobStorage JobStorage(IExperimentStore store, string? postgresConnection)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Engine == StoreEngine.Postgres
            ? TrialJobStorage.Postgres(postgresConnection ?? throw new ArgumentException("a PostgreSQL store needs its connection string for the job queue", nameof(postgresConnection)))
            : TrialJobStorage.InMemory();
    }

    /// <summary>Where checkpoints are kept besides the workspace: in a PostgreSQL store, whose machines share no disk; nowhere else for an embedded one.</summary>
    public static ICheckpointShelf? CheckpointShelf(IExperimentStore store) =>
        store is { Engine: StoreEngine.Postgres } ? new StoreCheckpointShelf(store) : null;

    /// <summary>Where a machine without an experiment's pretrained weights or package fetches them: a PostgreSQL store; none for an embedded one.</summary>
    public static StoreInputShelf? InputShelf(IExperimentStore store) =>
        store is { Engine: StoreEngine.Postgres } ? new StoreInputShelf(store) : null;

    /// <summary>A worker on <paramref name="slots"/> taking this store's trials from <paramref name="jobs"/>; <paramref name="events"/> is the coordinator when one runs in this process.</summary>
    public static TrialWorker Create(IExperimentStore store, JobStorage jobs, string workspace, IReadOnlyList<DeviceSlot> slots, TransferSources transfer,
        ITrialEventSink? events = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var options = new TrialWorkerOptions
        {
            WorkerId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}"),
            Storage = jobs,
            Slots = slots,
        };
        var requests = new TrialRequestFactory(store, workspace, transfer, InputShelf(store));
        return new TrialWorker(options, new ExperimentStoreLedger(store), new TrainingTrialRunner(requests.Create, CheckpointShelf(store)), events);
    }
}
