using System.Globalization;

namespace AutoNet.Scheduling;

/// <summary>Reads a worker's slot specification: <c>cpu</c>, <c>cuda</c> (every CUDA device) or <c>cuda:0,1</c> (those devices).</summary>
public static class DeviceSlots
{
    /// <summary>
    /// Parses <paramref name="specification"/> against the <paramref name="cudaDeviceCount"/> devices this machine has.
    /// <c>auto</c> means every CUDA device when there is one, else the CPU.
    /// </summary>
    public static IReadOnlyList<DeviceSlot> Parse(string specification, int cudaDeviceCount)
    {
        ArgumentNullException.ThrowIfNull(specification);
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDeviceCount);
        var text = specification.Trim().ToLowerInvariant();
        switch (text)
        {
            case "cpu":
                return [new DeviceSlot("cpu")];
            case "auto":
                return cudaDeviceCount > 0 ? AllCuda(cudaDeviceCount) : [new DeviceSlot("cpu")];
            case "cuda":
                return cudaDeviceCount == 0 ? throw NoCuda(specification) : AllCuda(cudaDeviceCount);
        }

        if (!text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"slots '{specification}': expected 'cpu', 'auto', 'cuda' or 'cuda:0,1'");
        }

        if (cudaDeviceCount == 0)
        {
            throw NoCuda(specification);
        }

        var slots = new List<DeviceSlot>();
        foreach (var part in text["cuda:".Length..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new ArgumentException($"slots '{specification}': '{part}' is not a device index; expected 'cuda:0,1'");
            }

            if (index >= cudaDeviceCount)
            {
                throw new ArgumentException($"slots '{specification}': cuda:{index} does not exist; this machine has {cudaDeviceCount} CUDA device(s)");
            }

            var slot = new DeviceSlot($"cuda:{index}");
            if (slots.Contains(slot))
            {
                throw new ArgumentException($"slots '{specification}': cuda:{index} is listed twice");
            }

            slots.Add(slot);
        }

        return slots;
    }

    private static ArgumentException NoCuda(string specification) => new(
        $"slots '{specification}': this machine has no CUDA device TorchSharp can use (the CPU build, or no NVIDIA driver; `autonet doctor` says which); expected 'cpu'");

    private static DeviceSlot[] AllCuda(int count) => Enumerable.Range(0, count).Select(i => new DeviceSlot($"cuda:{i}")).ToArray();
}
