using System.IO.Compression;
using AutoNet.Store;

namespace AutoNet.Scheduling.Store;

/// <summary>
/// How a folder or file travels through the store: packed into a zip archive (stored, not compressed: weights barely
/// compress), its SHA-256 checked on the way back, and unpacked into a staging folder beside its target before it is
/// moved in, so a half-written copy never stands where training looks.
/// </summary>
internal static class StoreArchive
{
    public static byte[] PackFolder(string folder)
    {
        using var archive = new MemoryStream();
        ZipFile.CreateFromDirectory(folder, archive, CompressionLevel.NoCompression, includeBaseDirectory: false);
        return archive.ToArray();
    }

    public static byte[] PackFile(string file)
    {
        using var archive = new MemoryStream();
        // Disposing the zip writes its central directory: it must be complete before its bytes are read.
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.NoCompression);
        }

        return archive.ToArray();
    }

    /// <summary>Refuses an archive whose bytes are not those the store recorded, naming <paramref name="what"/>.</summary>
    public static void Verify(byte[] archive, string recordedSha256, string what, string storeLocation)
    {
        var sha = AtomicFile.Sha256Of(archive);
        if (!string.Equals(sha, recordedSha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{what} in the store {storeLocation} is damaged: SHA-256 {sha}, recorded {recordedSha256}");
        }
    }

    /// <summary>
    /// Unpacks <paramref name="archive"/> so its entries end up in <paramref name="target"/>, replacing what was there
    /// when <paramref name="replace"/>; false when <paramref name="target"/> already existed and was kept.
    /// </summary>
    public static bool UnpackInto(byte[] archive, string target, bool replace)
    {
        var full = Path.GetFullPath(target);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staging = $"{full}.fetching-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new MemoryStream(archive, writable: false))
            {
                ZipFile.ExtractToDirectory(stream, staging);
            }

            if (replace && Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }

            try
            {
                Directory.Move(staging, full);
            }
            catch (IOException) when (!replace && Directory.Exists(full))
            {
                // Another run of this process unpacked the same bytes first.
                return false;
            }

            return true;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
