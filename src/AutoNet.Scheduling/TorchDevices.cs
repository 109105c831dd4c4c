using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Scheduling;

/// <summary>
/// Devices as AutoNet spells them (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) turned into TorchSharp's, checked against what
/// this process can reach: TorchSharp itself accepts <c>cuda:7</c> on a machine without CUDA and fails only at the first
/// tensor moved there, with a native message that names neither the option nor the value.
/// </summary>
public static class TorchDevices
{
    /// <summary>CUDA devices TorchSharp sees in this process (0 with the CPU-only package or without a driver).</summary>
    public static int CudaDeviceCount => torch.cuda.is_available() ? torch.cuda.device_count() : 0;

    /// <summary>Parses "cpu", "cuda" (device 0) or "cuda:N" without touching the native library.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "cpu")
        {
            return torch.CPU;
        }

        if (trimmed == "cuda")
        {
            return new Device(DeviceType.CUDA, 0);
        }

        if (trimmed.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(trimmed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new Device(DeviceType.CUDA, index);
        }

        throw new FormatException($"device '{text}' is not one of: cpu, cuda, cuda:N");
    }

    /// <summary>
    /// <see cref="Parse"/>, and for a CUDA device a check that it exists here; the error names the value given and
    /// what this machine has instead.
    /// </summary>
    public static Device ParseAvailable(string text)
    {
        var device = Parse(text);
        if (device.type != DeviceType.CUDA)
        {
            return device;
        }

        var count = CudaDeviceCount;
        if (count == 0)
        {
            throw new ArgumentException(
                $"device '{text}': CUDA is not available in this process (TorchSharp's CPU package, or no NVIDIA driver); use 'cpu', or build with the CUDA package (see the README)");
        }

        if (device.index >= count)
        {
            throw new ArgumentException($"device '{text}': cuda:{device.index} does not exist; this machine has {count} CUDA device(s)");
        }

        return device;
    }

    /// <summary>AutoNet's spelling of <paramref name="device"/>: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public static string Name(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CUDA ? $"cuda:{Math.Max(0, device.index)}" : "cpu";
    }
}
