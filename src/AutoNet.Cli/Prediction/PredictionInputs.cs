
using AutoNet.Data;
using AutoNet.Data.Sources;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// The files `autonet predict` was pointed at: one image, every file under a folder (recursively, hidden names
/// skipped, in ordinal order), or the paths of a CSV manifest (path,label columns; missing files are reported).
/// </summary>
public sealed record PredictionInputs(string Source, bool SingleFile, IReadOnlyList<string> Paths, IReadOnlyList<PredictionFailure> Skipped)
{
    public static PredictionInputs Resolve(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var full = Path.GetFullPath(source);
        if (Directory.Exists(full))
        {
            var paths = new List<string>();
            Walk(full, paths);
            if (paths.Count == 0)
            {
                throw new DataSetException(full, $"'{full}' holds no files to predict");
            }

            paths.Sort(StringComparer.Ordinal);
            return new PredictionInputs(full, false, paths, []);
        }

        if (!File.Exists(full))
        {
            throw new DataSetException(full, $"'{full}' does not exist: expected an image, a folder of images or a CSV manifest");
        }

        if (full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var listing = new CsvManifestSource(full) { SkipMissingFiles = true }.Scan();
            return new PredictionInputs(full, false, listing.Samples.Select(s => s.Path).ToArray(),
                listing.Skipped.Select(s => new PredictionFailure(s.Path, $"{s.Reason}: {s.Detail}")).ToArray());
        }

        return new PredictionInputs(full, true, [full], []);
    }

    private static void Walk(string folder, List<string> paths)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                // Links to folders are not followed, so a link to a parent cannot make the walk endless.
                if (directory.LinkTarget is null)
                {
                    Walk(directory.FullName, paths);
                }
            }
            else
            {
                paths.Add(entry.FullName);
            }
        }
    }
}
