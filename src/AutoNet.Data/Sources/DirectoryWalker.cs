namespace AutoNet.Data.Sources;

/// <summary>
/// Walks a folder tree read-only, in ordinal name order, ignoring hidden entries (names starting with '.').
/// Directory links are followed once: a link back to a folder above it is reported as a cycle, a link to a
/// folder already scanned by another path is reported and not scanned again. Every file that cannot be used
/// (unreadable, empty, a name that is not UTF-8) is reported, never thrown.
/// </summary>
internal sealed class DirectoryWalker
{
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly List<SkippedEntry> _skipped;
    private readonly CancellationToken _cancellationToken;

    public DirectoryWalker(List<SkippedEntry> skipped, CancellationToken cancellationToken = default)
    {
        _skipped = skipped;
        _cancellationToken = cancellationToken;
    }

    /// <summary>A readable, non-empty file found by the walk; Relative uses '/' separators.</summary>
    internal readonly record struct FoundFile(string FullPath, string Relative, long Length);

    public static bool IsHidden(string name) => name.StartsWith('.');

    /// <summary>The extensions a folder scan lists, as the decoder reads them (the bytes decide the format).</summary>
    public const string ImageExtensions = ".jpg, .jpeg, .png, .webp, .gif or .bmp";

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"];

    public static bool IsImageName(string name)
    {
        var extension = Path.GetExtension(name);
        return Array.Exists(Extensions, e => extension.Equals(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Marks the data set's root as scanned, so a link back to it is seen as a cycle.</summary>
    public string EnterRoot(string root)
    {
        var canonical = Canonicalize(root);
        _visited.Add(canonical);
        return canonical;
    }

    /// <summary>The non-hidden entries of a folder in ordinal order; null (and reported) when it cannot be listed.</summary>
    public List<FileSystemInfo>? List(string directory)
    {
        try
        {
            var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListOptions)
                .Where(e => !IsHidden(e.Name))
                .ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _skipped.Add(new SkippedEntry(directory, SkipReason.Unreadable, $"cannot list folder: {e.Message}"));
            return null;
        }
    }

    /// <summary>
    /// Decides whether a sub-folder is scanned: its canonical path, or null when it is a link cycle or a folder
    /// already scanned (both reported). <paramref name="ancestors"/> are the canonical paths above it.
    /// </summary>
    public string? Enter(DirectoryInfo directory, string parentCanonical, IReadOnlyCollection<string> ancestors)
    {
        if (directory.Name.Contains('\uFFFD', StringComparison.Ordinal) && !Directory.Exists(directory.FullName))
        {
            _skipped.Add(new SkippedEntry(directory.FullName, SkipReason.NonUtf8Name, "the folder name is not valid UTF-8 (shown with U+FFFD); rename it"));
            return null;
        }

        string canonical;
        if (directory.LinkTarget is null)
        {
            canonical = Path.Join(parentCanonical, directory.Name);
        }
        else
        {
            try
            {
                canonical = Canonicalize(directory.FullName);
            }
            catch (IOException e)
            {
                _skipped.Add(new SkippedEntry(directory.FullName, SkipReason.Unreadable, $"cannot resolve link: {e.Message}"));
                return null;
            }

            if (ancestors.Contains(canonical) || canonical == parentCanonical)
            {
                _skipped.Add(new SkippedEntry(directory.FullName, SkipReason.SymlinkCycle, $"link to '{canonical}', a folder above it"));
                return null;
            }
        }

        if (!_visited.Add(canonical))
        {
            _skipped.Add(new SkippedEntry(directory.FullName, SkipReason.AlreadyScanned, $"'{canonical}' was already scanned by another path"));
            return null;
        }

        return canonical;
    }

    /// <summary>Every usable image file below <paramref name="directory"/>, at any depth.</summary>
    public void CollectImages(string directory, string relative, string canonical, List<string> ancestors, List<FoundFile> found)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var entries = List(directory);
        if (entries is null)
        {
            return;
        }

        foreach (var entry in entries)
        {
            var entryRelative = relative + "/" + entry.Name;
            if (entry is DirectoryInfo sub)
            {
                ancestors.Add(canonical);
                var subCanonical = Enter(sub, canonical, ancestors);
                if (subCanonical is not null)
                {
                    CollectImages(sub.FullName, entryRelative, subCanonical, ancestors, found);
                }

                ancestors.RemoveAt(ancestors.Count - 1);
            }
            else if (Check(entry.FullName, entry.Name) is { } length)
            {
                found.Add(new FoundFile(entry.FullName, entryRelative, length));
            }
        }
    }

    /// <summary>The length of a usable image file, or null with the reason reported.</summary>
    public long? Check(string fullPath, string name)
    {
        if (name.Contains('\uFFFD', StringComparison.Ordinal) && !File.Exists(fullPath) && !IsLink(fullPath))
        {
            _skipped.Add(new SkippedEntry(fullPath, SkipReason.NonUtf8Name, "the file name is not valid UTF-8 (shown with U+FFFD); rename it"));
            return null;
        }

        if (!IsImageName(name))
        {
            _skipped.Add(new SkippedEntry(fullPath, SkipReason.NotAnImageFile, $"not a {ImageExtensions} file"));
            return null;
        }

        return CheckReadable(fullPath, _skipped);
    }

    /// <summary>Opens the file read-only to prove it can be read; reports it (and returns null) when not, or when empty.</summary>
    public static long? CheckReadable(string fullPath, List<SkippedEntry> skipped)
    {
        long length;
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            length = RandomAccess.GetLength(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedEntry(fullPath, SkipReason.Unreadable, e.Message));
            return null;
        }

        if (length == 0)
        {
            skipped.Add(new SkippedEntry(fullPath, SkipReason.EmptyFile, "the file is empty (0 bytes)"));
            return null;
        }

        return length;
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The path with every link in it resolved (a managed realpath); throws IOException on too many links.</summary>
    internal static string Canonicalize(string path)
    {
        var pending = new List<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var hops = 0;
        var index = 0;
        while (index < pending.Count)
        {
            var part = pending[index++];
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var candidate = Path.Join(current, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"too many levels of links resolving '{path}'");
            }

            var rest = pending.Skip(index).ToList();
            pending = [.. target.Split('/', StringSplitOptions.RemoveEmptyEntries), .. rest];
            index = 0;
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }
        }

        return current;
    }
}
