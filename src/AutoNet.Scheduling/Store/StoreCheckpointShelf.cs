using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Scheduling.Store;

/// <summary>
/// Checkpoints kept in the experiment store (PostgreSQL, for workers that share no disk): the checkpoint folder is
/// packed into a zip archive after every epoch and written under the trial's ownership; a run that starts without a
/// checkpoint as far along as the store's unpacks the store's into a staging folder, checks its SHA-256, and swaps it
/// in, so a half-written copy never stands where training looks.
/// </summary>
public sealed class StoreCheckpointShelf(IExperimentStore store) : ICheckpointShelf
{
    private const string InfoFile = "checkpoint.json";

    public async Task SaveAsync(long trialId, string owner, string directory, int epoch, CancellationToken cancellationToken)
    {
        using var archive = new MemoryStream();
        // Weights barely compress: storing is as small and much faster.
        ZipFile.CreateFromDirectory(directory, archive, CompressionLevel.NoCompression, includeBaseDirectory: false);
        await store.SaveCheckpointAsync(trialId, owner, epoch, archive.GetBuffer().AsMemory(0, (int)archive.Length), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RestoreAsync(long trialId, string directory, CancellationToken cancellationToken)
    {
        if (await store.LoadCheckpointAsync(trialId, cancellationToken).ConfigureAwait(false) is not { } kept || LocalEpoch(directory) >= kept.Epoch)
        {
            return false;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(kept.Archive));
        if (!string.Equals(sha, kept.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the checkpoint of trial {trialId} in the store {store.Location} is damaged: SHA-256 {sha}, recorded {kept.Sha256}");
        }

        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staging = $"{full}.fetching-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new MemoryStream(kept.Archive, writable: false))
            {
                ZipFile.ExtractToDirectory(stream, staging);
            }

            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }

            Directory.Move(staging, full);
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

    /// <summary>The epoch of the local checkpoint, or -1 when there is none that reads.</summary>
    private static long LocalEpoch(string directory)
    {
        var info = Path.Combine(directory, InfoFile);
        if (!File.Exists(info))
        {
            return -1;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(info));
            return document.RootElement.TryGetProperty("Epoch", out var epoch) && epoch.TryGetInt64(out var value) ? value : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
