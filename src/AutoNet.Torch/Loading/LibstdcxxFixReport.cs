namespace AutoNet.Torch.Loading;

/// <summary>What the libstdc++ check found: the library examined, the system's libstdc++, the versions it lacks and the outcome.</summary>
public sealed record LibstdcxxFixReport(
    LibstdcxxFixOutcome Outcome,
    string? TorchSharpLibrary,
    string? SystemLibstdcxx,
    string? NewestSystemVersion,
    IReadOnlyList<string> MissingVersions)
{
    /// <summary>One sentence for <c>autonet doctor</c> and logs.</summary>
    public string Describe() => Outcome switch
    {
        LibstdcxxFixOutcome.NotLinux => "not Linux: no libstdc++ check needed",
        LibstdcxxFixOutcome.NoTorchSharpLibrary => "no libLibTorchSharp.so next to this program",
        LibstdcxxFixOutcome.NothingNeeded =>
            $"{SystemLibstdcxx} (up to {NewestSystemVersion}) has every version {TorchSharpLibrary} needs; nothing touched",
        LibstdcxxFixOutcome.AlreadyPatched =>
            $"{SystemLibstdcxx} stops at {NewestSystemVersion}; {TorchSharpLibrary} needs {string.Join(", ", MissingVersions)} "
            + "only for a symbol it never calls, so that requirement is marked weak in this copy (done earlier; the NuGet cache is untouched)",
        LibstdcxxFixOutcome.Patched =>
            $"{SystemLibstdcxx} stops at {NewestSystemVersion}; {TorchSharpLibrary} needs {string.Join(", ", MissingVersions)} "
            + "only for a symbol it never calls, so that requirement was marked weak in this copy now (the NuGet cache is untouched)",
        _ => Outcome.ToString(),
    };
}
