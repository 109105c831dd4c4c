using System.Diagnostics;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Data.Tests;

/// <summary>Whether the Pillow reference (Debian's /usr/bin/python3 with PIL, numpy and torch) can run here.</summary>
public static class PillowAvailability
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when the reference runs; otherwise why not, for a skipped test's reason.</summary>
    public static string? Missing => Reason.Value;

    private static string? Probe()
    {
        if (!File.Exists(PythonReference.Interpreter))
        {
            return $"{PythonReference.Interpreter} is missing (install python3-pil, python3-numpy and python3-torch)";
        }

        var start = new ProcessStartInfo(PythonReference.Interpreter, ["-c", "import PIL, numpy, torch"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? null
            : $"{PythonReference.Interpreter} cannot import PIL, numpy and torch (install python3-pil, python3-numpy, python3-torch): {error.Trim()}";
    }
}
