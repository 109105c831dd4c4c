using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AutoNet.Torch.Kernels;

/// <summary>
/// Remembers, per machine (CPU model and features) and libtorch build, that oneDNN's vector kernels computed wrong
/// convolutions, so every later AutoNet process there starts with them capped (<see cref="OneDnnIsaCap"/>) — which
/// must happen before the first operation, so before a process could find out for itself. Kept in the user's cache
/// folder; a folder that cannot be written only means the next process checks again.
/// </summary>
internal static class KernelVerdictCache
{
    public static bool KnownBroken(string libtorchVersion) => File.Exists(PathFor(libtorchVersion));

    public static void RecordBroken(string libtorchVersion, string detail)
    {
        var path = PathFor(libtorchVersion);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, detail + Environment.NewLine);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not writable: this process has already switched oneDNN off for itself; the next one checks again.
        }
    }

    public static string PathFor(string libtorchVersion)
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
                ? Path.Combine(home, ".cache")
                : Path.GetTempPath();
        return Path.Combine(root, "autonet", "kernels", $"onednn-wrong-{Fingerprint(libtorchVersion)}");
    }

    private static string Fingerprint(string libtorchVersion)
    {
        var cpu = new StringBuilder(RuntimeInformation.ProcessArchitecture.ToString());
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("flags", StringComparison.Ordinal))
                {
                    cpu.Append('|').Append(line);
                }
            }
        }
        catch (IOException)
        {
            // No /proc/cpuinfo (macOS, Windows): the architecture alone keys the verdict.
        }

        cpu.Append('|').Append(libtorchVersion);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cpu.ToString())))[..16];
    }
}
