using AutoNet.Data.Splits;

namespace AutoNet.Data.Sources;

/// <summary>
/// Lists an image folder without decoding it or writing anything into it: one sub-folder per class
/// (<c>root/&lt;class&gt;/**/*.jpg|jpeg|png</c>, extensions case-insensitive, any depth below the class folder), or a
/// folder already split into <c>train/</c>, <c>val/</c> (or <c>validation/</c>) and <c>test/</c> with class folders
/// inside, detected when the root holds only such folders, <c>train/</c> is one of them and each holds sub-folders
/// rather than images (so classes that happen to be called "train" and "test" still work). Hidden files and folders
/// are ignored; unusable entries are reported in <see cref="DataSetListing.Skipped"/>. Class names are sorted
/// ordinally; a class's label is its index.
/// </summary>
public sealed class ImageFolderSource
{
    public ImageFolderSource(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Whether the folder is laid out as train/ val/ test/ with class folders inside.</summary>
    public static bool IsSplitLayout(IEnumerable<string> topLevelFolders)
    {
        var names = topLevelFolders.ToList();
        return names.Count > 0
            && names.Any(n => n.Equals("train", StringComparison.OrdinalIgnoreCase))
            && names.All(n => SplitOfFolder(n) is not null);
    }

    public static DataSetListing Scan(string root, CancellationToken cancellationToken = default) =>
        new ImageFolderSource(root).Scan(cancellationToken);

    /// <summary>Lists the folder; the walk stops with an <see cref="OperationCanceledException"/> when cancelled.</summary>
    public DataSetListing Scan(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root))
        {
            throw new DataSetException(Root, File.Exists(Root)
                ? $"'{Root}' is a file, expected a folder with one sub-folder per class"
                : $"image folder '{Root}' does not exist");
        }

        var skipped = new List<SkippedEntry>();
        var walker = new DirectoryWalker(skipped, cancellationToken);
        var rootCanonical = walker.EnterRoot(Root);
        var top = walker.List(Root) ?? throw new DataSetException(Root, $"cannot list image folder '{Root}'");
        ReportLooseFiles(top, skipped);

        var topFolders = top.OfType<DirectoryInfo>().ToList();
        var classFolders = new List<(DirectoryInfo Folder, string Relative, SplitPart? Split, string Canonical, List<string> Ancestors)>();
        var ancestors = new List<string> { rootCanonical };
        if (IsSplitLayout(topFolders.Select(f => f.Name)) && HoldsClassFolders(topFolders))
        {
            foreach (var splitFolder in topFolders)
            {
                var splitCanonical = walker.Enter(splitFolder, rootCanonical, ancestors);
                if (splitCanonical is null)
                {
                    continue;
                }

                var inner = walker.List(splitFolder.FullName) ?? [];
                var innerAncestors = new List<string> { rootCanonical, splitCanonical };
                foreach (var classFolder in inner.OfType<DirectoryInfo>())
                {
                    var canonical = walker.Enter(classFolder, splitCanonical, innerAncestors);
                    if (canonical is not null)
                    {
                        classFolders.Add((classFolder, splitFolder.Name + "/" + classFolder.Name, SplitOfFolder(splitFolder.Name), canonical, innerAncestors));
                    }
                }
            }
        }
        else
        {
            foreach (var classFolder in topFolders)
            {
                var canonical = walker.Enter(classFolder, rootCanonical, ancestors);
                if (canonical is not null)
                {
                    classFolders.Add((classFolder, classFolder.Name, null, canonical, ancestors));
                }
            }
        }

        if (classFolders.Count == 0)
        {
            throw new DataSetException(Root, $"no class folders in '{Root}': expected one sub-folder per class (root/<class>/*.jpg|jpeg|png), or train/ val/ test/ folders with class folders inside");
        }

        var found = new List<(string Class, SplitPart? Split, DirectoryWalker.FoundFile File)>();
        foreach (var (folder, relative, split, canonical, folderAncestors) in classFolders)
        {
            var files = new List<DirectoryWalker.FoundFile>();
            walker.CollectImages(folder.FullName, relative, canonical, [.. folderAncestors], files);
            if (files.Count == 0)
            {
                skipped.Add(new SkippedEntry(folder.FullName, SkipReason.EmptyClassFolder, $"class folder '{relative}' holds no usable {DirectoryWalker.ImageExtensions} file"));
            }

            found.AddRange(files.Select(f => (folder.Name, split, f)));
        }

        var classNames = found.Select(f => f.Class).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classNames.Count == 0)
        {
            throw new DataSetException(Root, $"no images in '{Root}': none of its {classFolders.Count} class folder(s) holds a usable {DirectoryWalker.ImageExtensions} file ({skipped.Count} entries skipped)");
        }

        if (classNames.Count == 1)
        {
            throw new DataSetException(Root, $"only one class ('{classNames[0]}') with images in '{Root}': a classifier needs at least two class folders");
        }

        var labels = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var samples = found
            .Select(f => new LabelledSample(f.File.Relative, f.File.FullPath, labels[f.Class], f.Split))
            .ToList();
        return new DataSetListing(Root, classNames, samples, skipped);
    }

    /// <summary>
    /// Whether folders named like splits really are splits: each holds sub-folders and no images of its own
    /// (otherwise "train" and "test" are taken as class names, whose images may sit at any depth).
    /// </summary>
    private static bool HoldsClassFolders(IEnumerable<DirectoryInfo> splitFolders)
    {
        foreach (var folder in splitFolders)
        {
            try
            {
                var entries = folder.EnumerateFileSystemInfos().Where(e => !DirectoryWalker.IsHidden(e.Name)).ToList();
                if (!entries.Any(e => e is DirectoryInfo) || entries.Any(e => e is FileInfo && DirectoryWalker.IsImageName(e.Name)))
                {
                    return false;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unlistable split folder is reported by the scan itself.
            }
        }

        return true;
    }

    internal static SplitPart? SplitOfFolder(string name) => name.ToLowerInvariant() switch
    {
        "train" => SplitPart.Train,
        "val" or "valid" or "validation" => SplitPart.Validation,
        "test" => SplitPart.Test,
        _ => null,
    };

    private static void ReportLooseFiles(IEnumerable<FileSystemInfo> entries, List<SkippedEntry> skipped)
    {
        foreach (var file in entries.OfType<FileInfo>().Where(f => DirectoryWalker.IsImageName(f.Name)))
        {
            skipped.Add(new SkippedEntry(file.FullName, SkipReason.OutsideClassFolder, "an image outside any class folder"));
        }
    }
}
