using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Cache;

/// <summary>
/// A hash of what a listing's samples are made of: the source, the class names, each sample's key and label, and
/// for every file read (an image, or an IDX file shared by many samples) its relative path, size and modification
/// time, and on request the SHA-256 of its bytes. Adding, removing, relabelling or changing a file changes it; with
/// contents hashed, even a change that keeps the size and time does.
/// </summary>
public static class DataSetFingerprint
{
    /// <summary>The fingerprint as 64 lowercase hex digits; a file that vanished since the scan is a <see cref="DataSetException"/>.</summary>
    public static string Compute(DataSetListing listing, bool hashContents = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        // One text, hashed once: a line per class, sample and file.
        var text = new StringBuilder();
        void Add(string line) => text.Append(line).Append('\n');
        var root = Directory.Exists(listing.Source) ? listing.Source : Path.GetDirectoryName(Path.GetFullPath(listing.Source));

        Add($"source {Path.GetFullPath(listing.Source)}");
        Add($"contents {(hashContents ? "sha256" : "stat")}");
        foreach (var name in listing.ClassNames)
        {
            Add($"class {name}");
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var sample in listing.Samples)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"sample {sample.Key} {sample.Label} {sample.GivenSplit}"));
            files.Add(sample.Path);
        }

        foreach (var path in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new DataSetException(path, $"'{path}' no longer exists: the data set changed since it was scanned; scan it again");
            }

            Add(string.Create(CultureInfo.InvariantCulture, $"file {(root is null ? path : Path.GetRelativePath(root, path))} {info.Length} {info.LastWriteTimeUtc.Ticks}"));
            if (hashContents)
            {
                Add("sha256 " + Convert.ToHexStringLower(HashFile(path)));
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>SHA-256 of a file's bytes; an unreadable file is a <see cref="DataSetException"/> naming it.</summary>
    public static byte[] HashFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return SHA256.HashData(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(path, $"cannot read '{path}' to hash it: {e.Message}", e);
        }
    }
}
