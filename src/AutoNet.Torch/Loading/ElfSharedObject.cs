using System.Buffers.Binary;
using System.Text;

namespace AutoNet.Torch.Loading;

/// <summary>
/// The little of a 64-bit little-endian ELF shared object that version checking needs: the symbol versions it
/// requires of other libraries (<c>.gnu.version_r</c>), the versions it defines (<c>.gnu.version_d</c>), and which
/// versions its relocations actually bind. Read from bytes so a patched copy can be written without a toolchain.
/// </summary>
public sealed class ElfSharedObject
{
    /// <summary>The version-requirement flag that lets a library load when the version is missing (glibc's VER_FLG_WEAK).</summary>
    public const ushort WeakFlag = 0x2;

    private readonly byte[] bytes;
    private readonly List<Section> sections;

    private ElfSharedObject(string path, byte[] bytes)
    {
        Path = path;
        this.bytes = bytes;
        sections = ReadSections();
    }

    public string Path { get; }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming it when it is not a 64-bit little-endian ELF file.</summary>
    public static ElfSharedObject Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF shared library");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file (class {bytes[4]}, data {bytes[5]})");
        }

        return new ElfSharedObject(path, bytes);
    }

    /// <summary>Every version this object requires, with the library that must define it.</summary>
    public IReadOnlyList<ElfVersionRequirement> VersionRequirements()
    {
        var requirements = new List<ElfVersionRequirement>();
        if (Find(".gnu.version_r") is not { } section)
        {
            return requirements;
        }

        var strings = sections[(int)section.Link];
        var offset = section.Offset;
        for (var entry = 0; entry < section.Info; entry++)
        {
            var count = U16(offset + 2);
            var file = String(strings, U32(offset + 4));
            var aux = offset + U32(offset + 8);
            for (var i = 0; i < count; i++)
            {
                requirements.Add(new ElfVersionRequirement(
                    file, String(strings, U32(aux + 8)), U16(aux + 6), U16(aux + 4), (int)(aux + 4)));
                aux += U32(aux + 12);
            }

            var next = U32(offset + 12);
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return requirements;
    }

    /// <summary>The version names this object defines (for libstdc++: GLIBCXX_3.4 … GLIBCXX_3.4.30 on Debian 12).</summary>
    public IReadOnlySet<string> VersionDefinitions()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (Find(".gnu.version_d") is not { } section)
        {
            return names;
        }

        var strings = sections[(int)section.Link];
        var offset = section.Offset;
        for (var entry = 0; entry < section.Info; entry++)
        {
            var aux = offset + U32(offset + 12);
            names.Add(String(strings, U32(aux)));
            var next = U32(offset + 16);
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return names;
    }

    /// <summary>
    /// The dynamic symbols bound to version index <paramref name="versionIndex"/> that a relocation uses. A missing
    /// version whose symbols no relocation uses (GCC 13's <c>std::ios_base_library_init</c> is only named, never
    /// called) can be made weak safely; one whose symbols are used cannot.
    /// </summary>
    public IReadOnlyList<string> RelocatedSymbolsOfVersion(ushort versionIndex)
    {
        if (Find(".dynsym") is not { } symbols || Find(".gnu.version") is not { } versions)
        {
            return [];
        }

        var names = sections[(int)symbols.Link];
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var relocations in sections.Where(s => s.Type == 4 /* SHT_RELA */ && s.Link < sections.Count && sections[(int)s.Link].Offset == symbols.Offset))
        {
            for (var at = relocations.Offset; at + 24 <= relocations.Offset + relocations.Size; at += 24)
            {
                var symbol = (long)(U64(at + 8) >> 32);
                if (symbol != 0 && (U16(versions.Offset + (symbol * 2)) & 0x7fff) == versionIndex)
                {
                    used.Add(String(names, U32(symbols.Offset + (symbol * 24))));
                }
            }
        }

        return [.. used];
    }

    /// <summary>These bytes with the given requirements marked weak; the object read stays as it was.</summary>
    public byte[] WithWeakRequirements(IEnumerable<ElfVersionRequirement> requirements)
    {
        var patched = (byte[])bytes.Clone();
        foreach (var requirement in requirements)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan(requirement.FlagsOffset), (ushort)(requirement.Flags | WeakFlag));
        }

        return patched;
    }

    private List<Section> ReadSections()
    {
        var table = (long)U64(0x28);
        var entrySize = U16(0x3a);
        var count = U16(0x3c);
        if (table <= 0 || entrySize < 64 || table + ((long)entrySize * count) > bytes.Length)
        {
            throw new InvalidDataException($"{Path} has no readable section table");
        }

        var names = U16(0x3e);
        var list = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = table + ((long)i * entrySize);
            list.Add(new Section(U32(at), U32(at + 4), (long)U64(at + 24), (long)U64(at + 32), U32(at + 40), U32(at + 44), string.Empty));
        }

        return [.. list.Select(s => s with { Name = names < list.Count ? String(list[names], s.NameOffset) : string.Empty })];
    }

    private Section? Find(string name) => sections.FirstOrDefault(s => s.Name == name) is { Name.Length: > 0 } s ? s : null;

    private string String(Section table, long offset)
    {
        var start = table.Offset + offset;
        if (start < 0 || start >= bytes.Length)
        {
            throw new InvalidDataException($"{Path}: a string offset points outside the file");
        }

        var end = Array.IndexOf(bytes, (byte)0, (int)start);
        return Encoding.ASCII.GetString(bytes, (int)start, (end < 0 ? bytes.Length : end) - (int)start);
    }

    private ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(Span(at, 2));

    private uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(Span(at, 4));

    private ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(Span(at, 8));

    private ReadOnlySpan<byte> Span(long at, int length) =>
        at >= 0 && at + length <= bytes.Length
            ? bytes.AsSpan((int)at, length)
            : throw new InvalidDataException($"{Path}: a table points outside the file (offset {at})");

    private readonly record struct Section(uint NameOffset, uint Type, long Offset, long Size, uint Link, uint Info, string Name);
}
