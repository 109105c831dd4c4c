using System.Reflection;
using AutoNet.Torch.Loading;
using TorchSharp;

namespace AutoNet.Torch.Tests.Loading;

public sealed class TorchSharpLibstdcxxFixTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-libstdcxx-").FullName;

    /// <summary>The library as TorchSharp ships it: the package folder's copy (the build output's is patched on this machine).</summary>
    private static string Shipped
    {
        get
        {
            var package = typeof(TorchSharpLibstdcxxFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TorchSharpPackageFolder").Value!;
            return Path.Combine(package, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    private static string SystemLibstdcxx =>
        TorchSharpLibstdcxxFix.FindSystemLibstdcxx() ?? throw new InvalidOperationException("no libstdc++.so.6 found on this machine");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TorchSharp_loads_and_computes_in_this_process_through_the_fix()
    {
        var report = TorchEngine.Initialize();
        var systemLacksIt = !ElfSharedObject.Read(SystemLibstdcxx).VersionDefinitions().Contains("GLIBCXX_3.4.32");

        using var sum = torch.ones(3, 4).sum();

        Assert.Equal(12f, sum.item<float>());
        if (systemLacksIt)
        {
            Assert.Contains(report.Outcome, new[] { LibstdcxxFixOutcome.Patched, LibstdcxxFixOutcome.AlreadyPatched });
        }
        else
        {
            Assert.Equal(LibstdcxxFixOutcome.NothingNeeded, report.Outcome);
        }

        Assert.Equal(report.TorchSharpLibrary, TorchSharpLibstdcxxFix.FindTorchSharpLibrary(AppContext.BaseDirectory));
        Assert.False(ElfSharedObject.Read(Shipped).VersionRequirements().Any(r => r.IsWeak), "the NuGet package folder's copy must never be patched");
    }

    [Fact]
    public void The_system_libstdcxx_is_found_and_defines_the_glibcxx_versions_it_has()
    {
        var defined = ElfSharedObject.Read(SystemLibstdcxx).VersionDefinitions();

        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void TorchSharps_only_missing_version_names_a_symbol_that_no_relocation_uses()
    {
        var library = ElfSharedObject.Read(Shipped);
        var requirements = library.VersionRequirements().Where(r => r.Library == "libstdc++.so.6").ToList();
        var newest = requirements.Single(r => r.Version == "GLIBCXX_3.4.32");
        var basic = requirements.Single(r => r.Version == "GLIBCXX_3.4");

        Assert.Empty(library.RelocatedSymbolsOfVersion(newest.Index));
        // The check can fail: the base version's symbols (std::string, iostreams …) are bound by many relocations.
        Assert.NotEmpty(library.RelocatedSymbolsOfVersion(basic.Index));
    }

    [Fact]
    public void Where_libstdcxx_lacks_the_version_a_copy_is_patched_in_exactly_those_flags_and_only_once()
    {
        var copy = CopyOfShipped();
        var original = File.ReadAllBytes(copy);
        var defined = ElfSharedObject.Read(SystemLibstdcxx).VersionDefinitions().Where(v => v != "GLIBCXX_3.4.32").ToHashSet();

        var first = TorchSharpLibstdcxxFix.Apply(copy, SystemLibstdcxx, defined);
        var patched = File.ReadAllBytes(copy);
        var second = TorchSharpLibstdcxxFix.Apply(copy, SystemLibstdcxx, defined);

        Assert.Equal(LibstdcxxFixOutcome.Patched, first.Outcome);
        Assert.Equal(["GLIBCXX_3.4.32"], first.MissingVersions);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var flags = ElfSharedObject.Read(copy).VersionRequirements().Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.True(flags.IsWeak);
        Assert.All(changed, i => Assert.InRange(i, flags.FlagsOffset, flags.FlagsOffset + 1));
        Assert.Single(changed);
        Assert.All(ElfSharedObject.Read(copy).VersionRequirements().Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
        Assert.Equal(LibstdcxxFixOutcome.AlreadyPatched, second.Outcome);
        Assert.Equal(original, File.ReadAllBytes(Shipped));
    }

    [Fact]
    public void Where_libstdcxx_has_every_version_nothing_is_touched()
    {
        var copy = CopyOfShipped();
        var before = File.GetLastWriteTimeUtc(copy);
        var defined = ElfSharedObject.Read(Shipped).VersionRequirements().Select(r => r.Version).ToHashSet();

        var report = TorchSharpLibstdcxxFix.Apply(copy, SystemLibstdcxx, defined);

        Assert.Equal(LibstdcxxFixOutcome.NothingNeeded, report.Outcome);
        Assert.Equal(File.ReadAllBytes(Shipped), File.ReadAllBytes(copy));
        Assert.Equal(before, File.GetLastWriteTimeUtc(copy));
        Assert.Contains("nothing touched", report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_is_named_in_the_error()
    {
        var bogus = Path.Combine(folder, "libLibTorchSharp.so");
        File.WriteAllText(bogus, "not an ELF file at all, but long enough to have a header of sixty-four bytes......");

        var error = Assert.Throws<InvalidDataException>(() => TorchSharpLibstdcxxFix.Apply(bogus, SystemLibstdcxx));

        Assert.Contains(bogus, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_library_is_refused_rather_than_read_past_its_end()
    {
        var truncated = Path.Combine(folder, "libLibTorchSharp.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Shipped).AsSpan(0, 4096).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => TorchSharpLibstdcxxFix.Apply(truncated, SystemLibstdcxx));

        Assert.Contains(truncated, error.Message, StringComparison.Ordinal);
    }

    private string CopyOfShipped()
    {
        var copy = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(Shipped, copy);
        return copy;
    }
}
