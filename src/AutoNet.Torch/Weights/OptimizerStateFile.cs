using TorchSharp;
using System.Runtime.InteropServices;
using TorchSharp.Modules;

namespace AutoNet.Torch.Weights;

/// <summary>
/// An optimizer's state (moments, step counts, each group's rates) in TorchSharp's own format
/// (<c>save_state_dict</c>): exact, and read back only into an optimizer of the same kind over the same parameter
/// layout. Files are written beside the target and renamed over it; a damaged file or one of another optimizer is a
/// <see cref="WeightsFileException"/> naming it. Load outside any dispose scope: TorchSharp creates missing state
/// tensors (e.g. SGD's momentum before the first step) in the scope that is current.
/// </summary>
public static class OptimizerStateFile
{
    public static void Save(OptimizerHelper optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(optimizer, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void Load(OptimizerHelper optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"optimizer state file {path} does not exist", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Read(optimizer, stream, path);
    }

    /// <summary>The state as bytes (for state kept inside another record, e.g. a search strategy's).</summary>
    public static byte[] ToBytes(OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var memory = new MemoryStream();
        Write(optimizer, memory);
        return memory.ToArray();
    }

    /// <summary>Restores what <see cref="ToBytes"/> gave; <paramref name="sourceName"/> names the bytes in errors.</summary>
    public static void FromBytes(OptimizerHelper optimizer, byte[] bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(bytes);
        using var memory = new MemoryStream(bytes, writable: false);
        Read(optimizer, memory, sourceName);
    }

    private static void Write(OptimizerHelper optimizer, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        optimizer.save_state_dict(writer);
        writer.Flush();
    }

    private static void Read(OptimizerHelper optimizer, Stream stream, string sourceName)
    {
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.load_state_dict(reader);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes follow the state");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException
            or FormatException or OverflowException or ExternalException or NotSupportedException)
        {
            throw new WeightsFileException(sourceName, null,
                $"is not the saved state of this {AlgorithmName(optimizer)} over these parameters ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>The TorchSharp algorithm (SGD, AdamW) under AutoNet's finalizer-safe subclasses, as users know it.</summary>
    private static string AlgorithmName(OptimizerHelper optimizer)
    {
        var type = optimizer.GetType();
        while (type.Assembly != typeof(OptimizerHelper).Assembly && type.BaseType is { } parent)
        {
            type = parent;
        }

        return type.Name;
    }
}
