namespace AutoNet.Scheduling;

/// <summary>
/// One place a trial can run: a CUDA device, or the CPU with all its threads. A worker runs at most one trial per
/// slot, because two trials sharing a device only slow each other down (and on a GPU risk running out of memory).
/// </summary>
/// <param name="Name">The device as AutoNet.Torch spells it: <c>cpu</c> or <c>cuda:N</c>.</param>
public sealed record DeviceSlot(string Name)
{
    public bool IsCuda => Name.StartsWith("cuda", StringComparison.Ordinal);

    public override string ToString() => Name;
}
