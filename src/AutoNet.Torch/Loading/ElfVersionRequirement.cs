namespace AutoNet.Torch.Loading;

/// <summary>One symbol version a shared object needs from another library (an ELF <c>Vernaux</c> entry).</summary>
/// <param name="Library">The library that must define it, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Index">The version index the object's symbols refer to.</param>
/// <param name="Flags">The entry's flags; <see cref="ElfSharedObject.WeakFlag"/> lets the object load without it.</param>
/// <param name="FlagsOffset">Where the flags sit in the file, so a copy can be patched.</param>
public sealed record ElfVersionRequirement(string Library, string Version, ushort Index, ushort Flags, int FlagsOffset)
{
    public bool IsWeak => (Flags & ElfSharedObject.WeakFlag) != 0;
}
