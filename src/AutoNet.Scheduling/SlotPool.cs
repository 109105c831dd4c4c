namespace AutoNet.Scheduling;

/// <summary>
/// The free device slots of one worker. A trial job takes a slot for as long as it trains; the Hangfire server has
/// as many workers as there are slots, so a job normally finds one free at once, and waits otherwise.
/// </summary>
public sealed class SlotPool : IDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<DeviceSlot> free;
    private readonly SemaphoreSlim available;

    public SlotPool(IReadOnlyList<DeviceSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count == 0)
        {
            throw new ArgumentException("a worker needs at least one device slot", nameof(slots));
        }

        Slots = slots;
        free = new Queue<DeviceSlot>(slots);
        available = new SemaphoreSlim(slots.Count, slots.Count);
    }

    public IReadOnlyList<DeviceSlot> Slots { get; }

    public int Count => Slots.Count;

    /// <summary>Waits for a free slot; dispose the lease to give it back.</summary>
    public async Task<SlotLease> AcquireAsync(CancellationToken cancellationToken)
    {
        await available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            return new SlotLease(this, free.Dequeue());
        }
    }

    internal void Release(DeviceSlot slot)
    {
        lock (gate)
        {
            free.Enqueue(slot);
        }

        available.Release();
    }

    public void Dispose() => available.Dispose();
}
