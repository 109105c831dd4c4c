namespace AutoNet.Scheduling;

/// <summary>A device slot held by one trial; disposing it frees the slot (once).</summary>
public sealed class SlotLease : IDisposable
{
    private SlotPool? pool;

    internal SlotLease(SlotPool pool, DeviceSlot slot)
    {
        this.pool = pool;
        Slot = slot;
    }

    public DeviceSlot Slot { get; }

    public void Dispose() => Interlocked.Exchange(ref pool, null)?.Release(Slot);
}
