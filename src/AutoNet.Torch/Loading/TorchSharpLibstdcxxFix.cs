using System.Runtime.InteropServices;

namespace AutoNet.Torch.Loading;

/// <summary>
/// Lets TorchSharp 0.107's <c>libLibTorchSharp.so</c> load on systems whose libstdc++ is older than the GCC 13 it was
/// built with (Debian 12, Ubuntu 22.04 stop at GLIBCXX_3.4.30; it asks for GLIBCXX_3.4.32). It asks for that version
/// for one symbol, <c>std::ios_base_library_init()</c>, which GCC 13's headers name but nothing calls, so marking that
/// one requirement weak in the program's own copy of the library is enough. Only done when the system's libstdc++
/// lacks a version and no relocation uses a symbol of it; never in the NuGet cache (the copy is replaced by a new
/// file, so a hard link to the cache is not written through). Must run before the first TorchSharp call.
/// </summary>
public static class TorchSharpLibstdcxxFix
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string Libstdcxx = "libstdc++.so.6";
    private static readonly Lock Gate = new();
    private static LibstdcxxFixReport? applied;

    /// <summary>Checks once per process, patches the program's copy if needed, and returns what it found.</summary>
    public static LibstdcxxFixReport EnsureLoadable()
    {
        lock (Gate)
        {
            return applied ??= Apply(FindTorchSharpLibrary(AppContext.BaseDirectory), FindSystemLibstdcxx());
        }
    }

    /// <summary>The check and patch for one library against one libstdc++ (tests pass copies of both).</summary>
    public static LibstdcxxFixReport Apply(string? torchSharpLibrary, string? systemLibstdcxx)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new LibstdcxxFixReport(LibstdcxxFixOutcome.NotLinux, torchSharpLibrary, null, null, []);
        }

        if (torchSharpLibrary is null || !File.Exists(torchSharpLibrary))
        {
            return new LibstdcxxFixReport(LibstdcxxFixOutcome.NoTorchSharpLibrary, torchSharpLibrary, systemLibstdcxx, null, []);
        }

        if (systemLibstdcxx is null)
        {
            throw new InvalidOperationException(
                $"{torchSharpLibrary} needs {Libstdcxx}, and none was found on this system; install the C++ runtime (Debian: apt-get install libstdc++6)");
        }

        return Apply(torchSharpLibrary, systemLibstdcxx, ElfSharedObject.Read(systemLibstdcxx).VersionDefinitions());
    }

    /// <summary>The decision for the versions <paramref name="defined"/> a libstdc++ defines (tests vary them).</summary>
    internal static LibstdcxxFixReport Apply(string torchSharpLibrary, string systemLibstdcxx, IReadOnlySet<string> defined)
    {
        var library = ElfSharedObject.Read(torchSharpLibrary);
        var missing = library.VersionRequirements()
            .Where(r => r.Library == Libstdcxx && !defined.Contains(r.Version))
            .ToList();
        var newest = NewestGlibcxx(defined);
        var missingNames = missing.Select(r => r.Version).ToList();
        if (missing.Count == 0)
        {
            return new LibstdcxxFixReport(LibstdcxxFixOutcome.NothingNeeded, torchSharpLibrary, systemLibstdcxx, newest, []);
        }

        if (missing.All(r => r.IsWeak))
        {
            return new LibstdcxxFixReport(LibstdcxxFixOutcome.AlreadyPatched, torchSharpLibrary, systemLibstdcxx, newest, missingNames);
        }

        foreach (var requirement in missing)
        {
            var used = library.RelocatedSymbolsOfVersion(requirement.Index);
            if (used.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{torchSharpLibrary} needs {requirement.Version} of {Libstdcxx} for {string.Join(", ", used)}, which "
                    + $"{systemLibstdcxx} (up to {newest}) lacks; install a newer libstdc++ (GCC 13 or later) to use TorchSharp here");
            }
        }

        WriteReplacing(torchSharpLibrary, library.WithWeakRequirements(missing));
        return new LibstdcxxFixReport(LibstdcxxFixOutcome.Patched, torchSharpLibrary, systemLibstdcxx, newest, missingNames);
    }

    /// <summary>The copy .NET's probing loads: <c>runtimes/&lt;rid&gt;/native</c> of a build, or the folder itself after a RID-specific publish.</summary>
    public static string? FindTorchSharpLibrary(string programFolder)
    {
        var architecture = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        return new[] { Path.Combine(programFolder, "runtimes", architecture, "native", LibraryName), Path.Combine(programFolder, LibraryName) }
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ this process already mapped (the .NET host links it), else the usual library folders.</summary>
    public static string? FindSystemLibstdcxx()
    {
        try
        {
            var mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..] : null)
                .FirstOrDefault(path => path is not null && Path.GetFileName(path).StartsWith(Libstdcxx, StringComparison.Ordinal));
            if (mapped is not null && File.Exists(mapped))
            {
                return mapped;
            }
        }
        catch (IOException)
        {
            // No /proc (a container without it): fall through to the usual folders.
        }

        string[] folders = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib"];
        return folders.Select(folder => Path.Combine(folder, Libstdcxx)).FirstOrDefault(File.Exists);
    }

    private static string? NewestGlibcxx(IReadOnlySet<string> defined) =>
        defined.Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .Select(v => (Name: v, Version: Version.TryParse(v["GLIBCXX_".Length..], out var parsed) ? parsed : null))
            .Where(v => v.Version is not null)
            .MaxBy(v => v.Version)
            .Name;

    private static void WriteReplacing(string path, byte[] content)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            File.Delete(temporary);
            throw new InvalidOperationException(
                $"{path} needs a libstdc++ newer than this system's; AutoNet marks that requirement weak in the program's own copy, "
                + $"but could not write in {folder} ({e.Message}). Run it once as a user who can write there, or install GCC 13's libstdc++.", e);
        }
    }
}
