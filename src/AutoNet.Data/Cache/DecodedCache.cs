using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Cache;

/// <summary>
/// A data set decoded and resized once, for every trial and every worker process: under
/// <c>&lt;workspace&gt;/cache/&lt;key&gt;/</c>, per split, the images as raw uint8 [N, C, H, W] and the labels as int64 [N],
/// read memory-mapped (the pages are the kernel's page cache, shared by all processes, never copied), plus
/// <see cref="DecodedCacheMetadata"/> and skipped.csv. The key hashes the data set's fingerprint (paths, sizes,
/// modification times, optionally contents), the split and the settings, so a changed data set gets a new cache and
/// an old one is never read for it. Building is parallel, reports progress, can be cancelled, and is atomic: it
/// happens in a temporary folder renamed into place under a lock file, so two processes never build the same key at
/// once and a half-built cache is never seen.
/// </summary>
public sealed class DecodedCache
{
    private DecodedCache(string directory, DecodedCacheMetadata metadata, bool built)
    {
        Directory = directory;
        Metadata = metadata;
        WasBuilt = built;
    }

    /// <summary>The cache's folder.</summary>
    public string Directory { get; }

    public DecodedCacheMetadata Metadata { get; }

    /// <summary>Whether this call built the cache (false: an existing one was opened).</summary>
    public bool WasBuilt { get; }

    public int Channels => Metadata.Channels;

    public int Height => Metadata.Height;

    public int Width => Metadata.Width;

    public IReadOnlyList<string> ClassNames => Metadata.ClassNames;

    public IReadOnlyList<double> Mean => Metadata.Mean;

    public IReadOnlyList<double> Std => Metadata.Std;

    public int Count(SplitPart part) => Metadata.Part(part).Count;

    /// <summary>The folder all caches of a workspace live in.</summary>
    public static string CacheRoot(string workspace) => Path.Join(Path.GetFullPath(workspace), "cache");

    /// <summary>
    /// Opens the cache of this data set, split and settings under <paramref name="workspace"/>, building it first when
    /// there is none (or the data set changed since). The workspace must not lie inside the data set's folder.
    /// </summary>
    public static DecodedCache Open(string workspace, DataSetListing listing, DataSplit split, DecodedCacheSettings settings,
        IProgress<DataProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (root, key, fingerprint) = Locate(workspace, listing, split, settings, writes: true, cancellationToken);
        var final = Path.Join(root, key);
        if (TryLoad(final, fingerprint) is { } existing)
        {
            return existing;
        }

        System.IO.Directory.CreateDirectory(root);
        using (CacheLock.Acquire(Path.Join(root, key + ".lock"), cancellationToken))
        {
            // Another process may have finished it while this one waited for the lock.
            if (TryLoad(final, fingerprint) is { } built)
            {
                return built;
            }

            RemoveLeftovers(root, key, final);
            var temporary = Path.Join(root, $"{key}.building-{Environment.ProcessId}-{Guid.NewGuid():N}");
            System.IO.Directory.CreateDirectory(temporary);
            try
            {
                var statBefore = settings.HashContents ? DataSetFingerprint.Compute(listing, false, cancellationToken) : fingerprint;
                var metadata = DecodedCacheBuilder.Build(temporary, key, fingerprint, listing, split, settings, progress, cancellationToken);
                if (DataSetFingerprint.Compute(listing, false, cancellationToken) != statBefore)
                {
                    throw new DataSetException(listing.Source, $"files in '{listing.Source}' changed while the cache was being built; the cache was discarded, run again");
                }

                System.IO.Directory.Move(temporary, final);
                return new DecodedCache(final, metadata, built: true);
            }
            finally
            {
                if (System.IO.Directory.Exists(temporary))
                {
                    System.IO.Directory.Delete(temporary, recursive: true);
                }
            }
        }
    }

    /// <summary>
    /// The finished cache of this data set, split and settings under <paramref name="workspace"/>, or null when none was
    /// built (or the data changed since): it builds and writes nothing, for readers such as the dashboard.
    /// </summary>
    public static DecodedCache? Find(string workspace, DataSetListing listing, DataSplit split, DecodedCacheSettings settings,
        CancellationToken cancellationToken = default)
    {
        var (root, key, fingerprint) = Locate(workspace, listing, split, settings, writes: false, cancellationToken);
        return TryLoad(Path.Join(root, key), fingerprint);
    }

    /// <summary>
    /// Checks the inputs and names the cache they make: its root, its folder's key, and the data's fingerprint. One that
    /// <paramref name="writes"/> is refused, before the data is read, when the cache would lie inside the data's folder.
    /// </summary>
    private static (string Root, string Key, string Fingerprint) Locate(string workspace, DataSetListing listing, DataSplit split,
        DecodedCacheSettings settings, bool writes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspace);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        split.CheckMatches(listing);
        var root = CacheRoot(workspace);
        if (writes)
        {
            WorkspaceGuard.EnsureOutside(root, listing.Source);
        }

        var fingerprint = DataSetFingerprint.Compute(listing, settings.HashContents, cancellationToken);
        return (root, Key(fingerprint, split, settings), fingerprint);
    }

    /// <summary>Opens a finished cache folder (what a worker process is handed); an unfinished one is a <see cref="DataSetException"/>.</summary>
    public static DecodedCache Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        var meta = Path.Join(full, DecodedCacheMetadata.FileName);
        if (!File.Exists(meta))
        {
            throw new DataSetException(full, $"'{full}' is not a finished decoded cache: it has no {DecodedCacheMetadata.FileName}");
        }

        var metadata = DecodedCacheMetadata.Load(meta);
        foreach (var part in metadata.Parts)
        {
            Expect(Path.Join(full, DecodedCacheBuilder.PartName(part.Part) + ".images"), part.Count * metadata.ImageBytes);
            Expect(Path.Join(full, DecodedCacheBuilder.PartName(part.Part) + ".labels"), part.Count * (long)sizeof(long));
        }

        return new DecodedCache(full, metadata, built: false);
    }

    /// <summary>Whether this cache was built from the listing as it is now (same fingerprint).</summary>
    public bool IsCurrentFor(DataSetListing listing, CancellationToken cancellationToken = default) =>
        DataSetFingerprint.Compute(listing, Metadata.ContentsHashed, cancellationToken) == Metadata.Fingerprint;

    /// <summary>The split's images, uint8 [N, C, H, W], memory-mapped from the cache file (dispose it when done).</summary>
    public Tensor Images(SplitPart part) =>
        Map(PathOf(part, ".images"), [Count(part), Channels, Height, Width], ScalarType.Byte);

    /// <summary>The split's labels, int64 [N], memory-mapped.</summary>
    public Tensor Labels(SplitPart part) => Map(PathOf(part, ".labels"), [Count(part)], ScalarType.Int64);

    /// <summary>
    /// One decoded image of a split as height × width × channels bytes (what a PNG encoder takes), read from the cache
    /// file without mapping it: for showing an image, not for training.
    /// </summary>
    public byte[] ReadImage(SplitPart part, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count(part));
        var chw = new byte[Metadata.ImageBytes];
        using (var file = File.OpenHandle(PathOf(part, ".images"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            var read = 0;
            while (read < chw.Length)
            {
                var got = RandomAccess.Read(file, chw.AsSpan(read), (index * Metadata.ImageBytes) + read);
                if (got == 0)
                {
                    throw new DataSetException(Directory, $"the decoded cache '{Directory}' ends before image {index} of its {part} part");
                }

                read += got;
            }
        }

        var pixels = Height * Width;
        var hwc = new byte[chw.Length];
        for (var c = 0; c < Channels; c++)
        {
            for (var p = 0; p < pixels; p++)
            {
                hwc[(p * Channels) + c] = chw[(c * pixels) + p];
            }
        }

        return hwc;
    }

    /// <summary>The split's sample keys (<see cref="LabelledSample.Key"/>), in the order of its images.</summary>
    public IReadOnlyList<string> Keys(SplitPart part) =>
        JsonSerializer.Deserialize<List<string>>(File.ReadAllText(PathOf(part, ".keys.json"))) ?? [];

    /// <summary>The full list of entries left out of this cache, with reasons.</summary>
    public string SkippedFile => Path.Join(Directory, SkippedFileReport.FileName);

    /// <summary>
    /// The file a CPU tensor's memory is mapped from (<see cref="Images"/> and <see cref="Labels"/> are), or null
    /// when its memory is the process's own. Read from <c>/proc/self/maps</c>: Linux only (elsewhere
    /// <see cref="PlatformNotSupportedException"/>); TorchSharp does not say which allocator owns a storage.
    /// </summary>
    public static string? MappedFile(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("telling mapped memory from the process's own needs /proc/self/maps (Linux)");
        }

        if (tensor.device_type != DeviceType.CPU || tensor.numel() == 0)
        {
            return null;
        }

        // The storage's first element (offset 0, whatever the tensor's own offset): where libtorch's mapping begins.
        using var first = tensor.as_strided([1], [1], 0);
        return MappedMemory.FileAt(StartOf(first.bytes));
    }

    private static unsafe ulong StartOf(Span<byte> bytes)
    {
        fixed (byte* pointer = bytes)
        {
            return (ulong)pointer;
        }
    }

    /// <summary>Whether a tensor's memory is mapped from a file (true for <see cref="Images"/> and <see cref="Labels"/>; Linux only).</summary>
    public static bool IsFileMapped(Tensor tensor) => MappedFile(tensor) is not null;

    private string PathOf(SplitPart part, string suffix) => Path.Join(Directory, DecodedCacheBuilder.PartName(part) + suffix);

    /// <summary>
    /// libtorch's <c>from_file</c> without sharing: a private copy-on-write mapping (MAP_PRIVATE), so the pages are
    /// the kernel's page cache, shared by every process that maps the file and never copied unless written, and a
    /// write (none is made) could never reach the file. The size is checked first: a half-written or foreign file is
    /// refused naming both sizes. mmap refuses zero bytes, so an empty split is an ordinary empty tensor.
    /// </summary>
    private static Tensor Map(string path, long[] shape, ScalarType dtype)
    {
        long elements = 1;
        foreach (var size in shape)
        {
            elements = checked(elements * size);
        }

        var expected = checked(elements * (dtype == ScalarType.Byte ? 1 : sizeof(long)));
        Expect(path, expected);
        if (elements == 0)
        {
            return torch.empty(shape, dtype);
        }

        using var flat = torch.from_file(path, shared: false, size: elements, dtype: dtype);
        return flat.view(shape);
    }

    private static string Key(string fingerprint, DataSplit split, DecodedCacheSettings settings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{split.Seed}|{split.Fractions}\n"));
        foreach (var (sample, part) in split.Assignments)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(sample));
            hash.AppendData([0, (byte)part]);
        }

        var splitHash = Convert.ToHexStringLower(hash.GetHashAndReset());
        var text = $"v{DecodedCacheMetadata.CurrentVersion}|{fingerprint}|{splitHash}|{settings.Height}x{settings.Width}|{settings.Color}|{settings.Fit}|{settings.HashContents}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    private static DecodedCache? TryLoad(string directory, string fingerprint)
    {
        if (!System.IO.Directory.Exists(directory) || !File.Exists(Path.Join(directory, DecodedCacheMetadata.FileName)))
        {
            return null;
        }

        try
        {
            var cache = Load(directory);
            return cache.Metadata.Fingerprint == fingerprint ? cache : null;
        }
        catch (DataSetException)
        {
            return null;
        }
    }

    /// <summary>Under the lock: half-built folders of crashed builds of this key, and a damaged finished one, go.</summary>
    private static void RemoveLeftovers(string root, string key, string final)
    {
        foreach (var leftover in System.IO.Directory.EnumerateDirectories(root, key + ".building-*"))
        {
            System.IO.Directory.Delete(leftover, recursive: true);
        }

        if (System.IO.Directory.Exists(final))
        {
            System.IO.Directory.Delete(final, recursive: true);
        }
    }

    private static void Expect(string path, long bytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != bytes)
        {
            throw new DataSetException(path, $"decoded cache file '{path}' is {(info.Exists ? $"{info.Length} bytes" : "missing")}, expected {bytes} bytes");
        }
    }
}
