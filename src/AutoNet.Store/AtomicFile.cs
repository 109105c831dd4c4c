using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AutoNet.Store;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old file or the whole new one at its path, never a
/// torn one: the bytes go to a temporary file in the same folder, are flushed to the disk (fsync), and the temporary
/// file is renamed over the target; on Linux and macOS the folder is flushed too, so the rename itself survives a
/// power cut. Big blobs such as checkpoints live in such files; the store records their path and SHA-256 (as an
/// <see cref="Artifact"/>), so a reader can tell the recorded file from anything else at that path.
/// </summary>
public static partial class AtomicFile
{
    private const int ReadOnly = 0;

    /// <summary>Writes <paramref name="path"/> with what <paramref name="write"/> puts in the stream; returns its size and SHA-256.</summary>
    public static FileDigest Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{full}' has no folder", nameof(path));
        Directory.CreateDirectory(folder);
        var temporary = TemporaryPath(full);
        try
        {
            string sha;
            long size;
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var hash = SHA256.Create())
                {
                    using (var tee = new CryptoStream(file, hash, CryptoStreamMode.Write, leaveOpen: true))
                    {
                        write(tee);
                        tee.FlushFinalBlock();
                    }

                    sha = Convert.ToHexStringLower(hash.Hash!);
                }

                size = file.Length;
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            FlushFolder(folder);
            return new FileDigest(full, size, sha);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Lower-case hex SHA-256 of the file's content.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Lower-case hex SHA-256 of bytes held in memory (a checkpoint or input archive kept in the store).</summary>
    public static string Sha256Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Whether the file at the artifact's path is there and is the one the store recorded (size and SHA-256).</summary>
    public static bool Matches(Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return File.Exists(artifact.Path) && new FileInfo(artifact.Path).Length == artifact.SizeBytes && Sha256Of(artifact.Path) == artifact.Sha256;
    }

    /// <summary>Temporary files start with a dot and end in .tmp, so a listing of checkpoints never mistakes one for a checkpoint.</summary>
    private static string TemporaryPath(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");

    /// <summary>fsync of the folder, so the rename is on disk; Windows has no such call (NTFS journals the rename).</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open the folder '{folder}' to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush the folder '{folder}' to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless: it never has the target's name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
