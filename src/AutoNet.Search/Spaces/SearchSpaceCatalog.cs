namespace AutoNet.Search.Spaces;

/// <summary>
/// Resolves what a user types after <c>--space</c>: a shipped name (<c>darts</c>) or a path to a JSON
/// file (<c>my.json</c>, <c>spaces/small.json</c>). Shipped spaces are looked up in the
/// <c>search-spaces</c> folder next to the application (the build copies them there), then in a
/// <c>search-spaces</c> folder of the repository the application runs from.
/// </summary>
public sealed class SearchSpaceCatalog
{
    public const string FolderName = "search-spaces";

    private readonly SearchSpaceReader _reader;

    public SearchSpaceCatalog(IEnumerable<string> folders, SearchSpaceReader? reader = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        Folders = [.. folders];
        _reader = reader ?? new SearchSpaceReader();
    }

    /// <summary>The folder next to the application, then the nearest <c>search-spaces</c> folder above it and above the current directory.</summary>
    public static SearchSpaceCatalog Default { get; } = new(DefaultFolders());

    /// <summary>The folders searched for shipped names, in order; the first holding <c>{name}.json</c> wins.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>The names of the spaces found in <see cref="Folders"/>, sorted.</summary>
    public IReadOnlyList<string> Names =>
        [.. Folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.json"))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The space <paramref name="nameOrPath"/> stands for: a path when it names an existing file, ends in
    /// <c>.json</c> or contains a directory separator; otherwise a shipped name.
    /// </summary>
    public SearchSpace Resolve(string nameOrPath) => _reader.Load(ResolvePath(nameOrPath));

    /// <summary>The file <see cref="Resolve"/> would read.</summary>
    public string ResolvePath(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var looksLikePath = File.Exists(nameOrPath)
            || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || nameOrPath.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || nameOrPath.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal);
        if (looksLikePath)
        {
            return File.Exists(nameOrPath)
                ? Path.GetFullPath(nameOrPath)
                : throw new FileNotFoundException($"the search-space file '{Path.GetFullPath(nameOrPath)}' does not exist", nameOrPath);
        }

        foreach (var folder in Folders)
        {
            var candidate = Path.Combine(folder, nameOrPath + ".json");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        var names = Names;
        throw new FileNotFoundException(
            $"no search space named '{nameOrPath}'; shipped spaces: {(names.Count == 0 ? "none found" : string.Join(", ", names))} " +
            $"(looked in {string.Join(", ", Folders)}); give a path to a .json file for your own space", nameOrPath);
    }

    private static List<string> DefaultFolders()
    {
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, FolderName) };
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, FolderName);
                if (Directory.Exists(candidate))
                {
                    folders.Add(candidate);
                    break;
                }
            }
        }

        return [.. folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
    }
}
