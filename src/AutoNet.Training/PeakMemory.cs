using System.Diagnostics;
using System.Globalization;

namespace AutoNet.Training;

/// <summary>
/// The process's peak resident memory over a stretch of work (one epoch). On Linux the kernel's high-water mark is
/// reset at the start (<c>/proc/self/clear_refs</c> ← 5) and read at the end (<c>VmHWM</c>); elsewhere, or where the
/// reset is not allowed, it falls back to the process's lifetime peak.
/// </summary>
internal static class PeakMemory
{
    private const string ClearRefs = "/proc/self/clear_refs";
    private const string Status = "/proc/self/status";

    public static void Reset()
    {
        try
        {
            if (File.Exists(ClearRefs))
            {
                File.WriteAllText(ClearRefs, "5");
            }
        }
        catch (IOException)
        {
            // Not permitted here: the lifetime peak is reported instead.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static long ReadBytes()
    {
        try
        {
            if (File.Exists(Status))
            {
                foreach (var line in File.ReadLines(Status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
