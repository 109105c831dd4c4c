using System.Text.Json;
using AutoNet.Store;

namespace AutoNet.Scheduling.Store;

/// <summary>
/// Checkpoints kept in the experiment store (PostgreSQL, for workers that share no disk): the checkpoint folder is
/// packed after every epoch and written under the trial's ownership; a run that starts without a checkpoint as far
/// along as the store's fetches the store's, checked and swapped in whole (<see cref="StoreArchive"/>).
/// </summary>
public sealed class StoreCheckpointShelf(IExperimentStore store) : ICheckpointShelf
{
    private const string InfoFile = "checkpoint.json";

    public Task SaveAsync(long trialId, string owner, string directory, int epoch, CancellationToken cancellationToken) =>
        store.SaveCheckpointAsync(trialId, owner, epoch, StoreArchive.PackFolder(directory), cancellationToken);

    public async Task<bool> RestoreAsync(long trialId, string directory, CancellationToken cancellationToken)
    {
        if (await store.LoadCheckpointAsync(trialId, cancellationToken).ConfigureAwait(false) is not { } kept || LocalEpoch(directory) >= kept.Epoch)
        {
            return false;
        }

        StoreArchive.Verify(kept.Archive, kept.Sha256, $"the checkpoint of trial {trialId}", store.Location);
        return StoreArchive.UnpackInto(kept.Archive, directory, replace: true);
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
