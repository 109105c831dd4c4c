using AutoNet.Data.Sources;

namespace AutoNet.Data;

/// <summary>Refuses output paths inside a data set's folder: AutoNet never writes into the user's data.</summary>
public static class WorkspaceGuard
{
    /// <summary>
    /// Throws a <see cref="DataSetException"/> when <paramref name="outputPath"/> lies inside the folder of
    /// <paramref name="source"/> (an image folder, or the folder holding a CSV manifest); built-in names have none.
    /// </summary>
    public static void EnsureOutside(string outputPath, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentNullException.ThrowIfNull(source);
        var folder = DataFolderOf(source);
        if (folder is null)
        {
            return;
        }

        var output = Canonical(outputPath);
        var data = Canonical(folder);
        if (output == data || output.StartsWith(data.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new DataSetException(folder, $"'{outputPath}' is inside the data folder '{folder}': AutoNet never writes into a data set's folder; choose a workspace or output path outside it");
        }
    }

    /// <summary>
    /// <see cref="EnsureOutside(string, string)"/> for every path a command is about to write, checked all before the
    /// first byte, so a refusal leaves nothing behind.
    /// </summary>
    public static void EnsureOutside(IEnumerable<string> outputPaths, string source)
    {
        ArgumentNullException.ThrowIfNull(outputPaths);
        foreach (var path in outputPaths)
        {
            EnsureOutside(path, source);
        }
    }

    /// <summary>The user's folder a source reads from, or null for a built-in data set.</summary>
    public static string? DataFolderOf(string source)
    {
        if (System.IO.Directory.Exists(source))
        {
            return Path.GetFullPath(source);
        }

        return File.Exists(source) ? Path.GetDirectoryName(Path.GetFullPath(source)) : null;
    }

    /// <summary>The path with links resolved for the part that exists, so a link into the data folder is caught too.</summary>
    private static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        var existing = full;
        var rest = new Stack<string>();
        while (!System.IO.Directory.Exists(existing) && !File.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return full;
            }

            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }

        try
        {
            var resolved = DirectoryWalker.Canonicalize(existing);
            return rest.Aggregate(resolved, Path.Join);
        }
        catch (IOException)
        {
            return full;
        }
    }
}
