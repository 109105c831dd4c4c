using System.IO.Compression;
using System.Security.Cryptography;
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

        var sha = Convert.ToHexStringLower(SHA256.HashData(kept.Archive));
        if (!string.Equals(sha, kept.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the copy of '{path}' in the store {store.Location} is damaged: SHA-256 {sha}, recorded {kept.Sha256}");
        }

        var home = Path.Combine(experimentDirectory, InputsFolder, sha[..16]);
        var local = Path.Combine(home, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)));
        if (File.Exists(local) || Directory.Exists(local))
        {
            return local;
        }

        var staging = $"{home}.fetching-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new MemoryStream(kept.Archive, writable: false))
            {
                ZipFile.ExtractToDirectory(stream, kept.IsFolder ? Path.Combine(staging, Path.GetFileName(local)) : staging);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(home)!);
            try
            {
                Directory.Move(staging, home);
            }
            catch (IOException) when (Directory.Exists(home))
            {
                // Another trial of this process unpacked it first: theirs is the same bytes.
            }

            return local;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task KeepAsync(long experimentId, string path, bool isFolder, CancellationToken cancellationToken)
    {
        using var archive = new MemoryStream();
        if (isFolder)
        {
            ZipFile.CreateFromDirectory(path, archive, CompressionLevel.NoCompression, includeBaseDirectory: false);
        }
        else
        {
            // Disposing the archive writes its central directory: it must be complete before its bytes are stored.
            using var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true);
            zip.CreateEntryFromFile(path, Path.GetFileName(path), CompressionLevel.NoCompression);
        }

        await store.SaveInputAsync(experimentId, Path.GetFullPath(path), isFolder, archive.GetBuffer().AsMemory(0, (int)archive.Length), cancellationToken)
            .ConfigureAwait(false);
    }
}
