namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// The Hangfire queue of a trial names the device kind it needs. A trial dispatched by a search that trains on GPUs
/// goes to <see cref="Cuda"/>, which only GPU workers take; one dispatched by a CPU search goes to <see cref="Cpu"/>,
/// which CPU workers take and GPU workers take too when their own queue is empty (a GPU trains a CPU trial faster).
/// </summary>
public static class TrialQueues
{
    public const string Cuda = "cuda";

    public const string Cpu = "cpu";

    /// <summary>The queue a search whose own slots are <paramref name="slots"/> dispatches its trials to.</summary>
    public static string Dispatch(IEnumerable<DeviceSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return slots.Any(s => s.IsCuda) ? Cuda : Cpu;
    }

    /// <summary>The queues a worker with <paramref name="slots"/> takes trials from, its own kind first.</summary>
    public static string[] Listen(IEnumerable<DeviceSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return slots.Any(s => s.IsCuda) ? [Cuda, Cpu] : [Cpu];
    }
}
