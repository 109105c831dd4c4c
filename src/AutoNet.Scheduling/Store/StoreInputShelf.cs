using AutoNet.Scheduling.Trials;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Store;

/// <summary>
/// The files a transfer experiment's trials read besides the data — its pinned pretrained weights file or model
/// package folder — kept in a PostgreSQL store when the experiment is created, so a worker (or `export`) on a machine
/// without them fetches them into its own workspace instead of failing on a path that exists only on the first one.
/// </summary>
public sealed class StoreInputShelf(IExperimentStore store)
{
    private const string InputsFolder = "inputs";

    /// <summary>Keeps the weights file or package folder the space fixes by a full path, when it exists here.</summary>
    public async Task KeepAsync(long experimentId, SearchSpace space, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.TryGetFixed(SpaceLabels.PretrainedWeights, out var weights) && weights.AsString() is var file && Path.IsPathRooted(file) && File.Exists(file))
        {
            await KeepAsync(experimentId, file, isFolder: false, cancellationToken).ConfigureAwait(false);
        }

        if (space.TryGetFixed(TransferBlueprint.PretrainedPackage, out var package) && package.AsString() is var folder && Path.IsPathRooted(folder) && Directory.Exists(folder))
        {
            await KeepAsync(experimentId, folder, isFolder: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <paramref name="path"/> when it exists here; otherwise the store's copy, unpacked (once) under the experiment's
    /// folder of this workspace; otherwise <paramref name="path"/>, for the caller's not-found message.
    /// </summary>
    public string Locate(long experimentId, string experimentDirectory, string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        if (store.LoadInputAsync(experimentId, Path.GetFullPath(path)).GetAwaiter().GetResult() is not { } kept)
        {
            return path;
        }

        StoreArchive.Verify(kept.Archive, kept.Sha256, $"the copy of '{path}'", store.Location);
        var home = Path.Combine(experimentDirectory, InputsFolder, kept.Sha256[..16]);
        var local = Path.Combine(home, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)));
        if (!File.Exists(local) && !Directory.Exists(local))
        {
            // A folder's entries go inside its own name; a file's single entry lands in the home folder.
            StoreArchive.UnpackInto(kept.Archive, kept.IsFolder ? local : home, replace: false);
        }

        return local;
    }

    private Task KeepAsync(long experimentId, string path, bool isFolder, CancellationToken cancellationToken) =>
        store.SaveInputAsync(experimentId, Path.GetFullPath(path), isFolder, isFolder ? StoreArchive.PackFolder(path) : StoreArchive.PackFile(path), cancellationToken);
}
