namespace AutoNet.Torch.Loading;

/// <summary>What <see cref="TorchSharpLibstdcxxFix"/> found and did.</summary>
public enum LibstdcxxFixOutcome
{
    /// <summary>Not Linux: the loader there does not check libstdc++ versions the same way, nothing to do.</summary>
    NotLinux,

    /// <summary>No TorchSharp native library next to the program (nothing uses TorchSharp here).</summary>
    NoTorchSharpLibrary,

    /// <summary>The system's libstdc++ defines every version the library needs; nothing was touched.</summary>
    NothingNeeded,

    /// <summary>The copy in the build output was patched earlier (by this or another process).</summary>
    AlreadyPatched,

    /// <summary>The copy in the build output was patched now.</summary>
    Patched,
}
