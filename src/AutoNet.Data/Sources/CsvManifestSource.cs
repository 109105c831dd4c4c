using AutoNet.Data.Splits;

namespace AutoNet.Data.Sources;

/// <summary>
/// Lists a CSV manifest with a header naming the columns <c>path</c> and <c>label</c> (any order, any case, other
/// columns ignored) and optionally <c>split</c> (<c>train</c>, <c>val</c>/<c>validation</c>, <c>test</c>, or empty for
/// none). Paths are relative to the manifest's folder (absolute paths are taken as they are). A malformed row, a
/// missing file or an unknown split value is a <see cref="DataSetException"/> naming the manifest, the line and the
/// field; empty and unreadable files and repeated paths are skipped and reported. Class names are sorted ordinally.
/// </summary>
public sealed class CsvManifestSource
{
    public CsvManifestSource(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ManifestPath = Path.GetFullPath(manifestPath);
    }

    public string ManifestPath { get; }

    /// <summary>Whether a listed file that does not exist is skipped and reported instead of being an error.</summary>
    public bool SkipMissingFiles { get; init; }

    public static DataSetListing Scan(string manifestPath) => new CsvManifestSource(manifestPath).Scan();

    public DataSetListing Scan()
    {
        string text;
        try
        {
            text = File.ReadAllText(ManifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(ManifestPath, $"cannot read manifest '{ManifestPath}': {e.Message}", e);
        }

        var records = CsvReader.Parse(text, ManifestPath);
        if (records.Count == 0)
        {
            throw new DataSetException(ManifestPath, $"manifest '{ManifestPath}' is empty: expected a header 'path,label' (and optionally 'split')");
        }

        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var pathColumn = header.IndexOf("path");
        var labelColumn = header.IndexOf("label");
        var splitColumn = header.IndexOf("split");
        if (pathColumn < 0 || labelColumn < 0)
        {
            throw new DataSetException(ManifestPath, $"manifest '{ManifestPath}', line {records[0].Line}: the header must name the columns 'path' and 'label' (found '{Printable(string.Join(",", records[0].Fields))}')");
        }

        var folder = Path.GetDirectoryName(ManifestPath)!;
        var skipped = new List<SkippedEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<(string Key, string Full, string Label, SplitPart? Split)>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count)
            {
                throw Bad(record.Line, $"expected {header.Count} fields as in the header, found {record.Fields.Count}");
            }

            var path = record.Fields[pathColumn].Trim();
            var label = record.Fields[labelColumn].Trim();
            if (path.Length == 0)
            {
                throw Bad(record.Line, "field 'path' is empty");
            }

            if (label.Length == 0)
            {
                throw Bad(record.Line, "field 'label' is empty");
            }

            SplitPart? split = null;
            if (splitColumn >= 0)
            {
                var value = record.Fields[splitColumn].Trim();
                split = value.Length == 0 ? null : ImageFolderSource.SplitOfFolder(value)
                    ?? throw Bad(record.Line, $"field 'split' has the unknown value '{value}', expected train, val, validation, test or empty");
            }

            var full = Path.GetFullPath(Path.Combine(folder, path));
            var key = Path.GetRelativePath(folder, full).Replace('\\', '/');
            if (!File.Exists(full))
            {
                if (!SkipMissingFiles)
                {
                    throw Bad(record.Line, $"field 'path': file '{full}' does not exist");
                }

                skipped.Add(new SkippedEntry(full, SkipReason.MissingFile, $"line {record.Line}: the file does not exist"));
                continue;
            }

            if (!seen.Add(key))
            {
                skipped.Add(new SkippedEntry(full, SkipReason.Duplicate, $"line {record.Line}: '{path}' is listed more than once"));
                continue;
            }

            if (DirectoryWalker.CheckReadable(full, skipped) is null)
            {
                continue;
            }

            rows.Add((key, full, label, split));
        }

        var classNames = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classNames.Count == 0)
        {
            throw new DataSetException(ManifestPath, $"manifest '{ManifestPath}' lists no usable images ({skipped.Count} skipped)");
        }

        if (classNames.Count == 1)
        {
            throw new DataSetException(ManifestPath, $"manifest '{ManifestPath}' has only one class ('{classNames[0]}'): a classifier needs at least two");
        }

        var labels = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var samples = rows.Select(r => new LabelledSample(r.Key, r.Full, labels[r.Label], r.Split)).ToList();
        return new DataSetListing(ManifestPath, classNames, samples, skipped);
    }

    private DataSetException Bad(int line, string what) => new(ManifestPath, $"manifest '{ManifestPath}', line {line}: {what}");

    // A binary file read as a manifest: its header is shown without control characters, and shortened.
    private static string Printable(string text)
    {
        var shown = new string([.. text.Take(80).Select(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c)]);
        return text.Length > 80 ? shown + "…" : shown;
    }
}
