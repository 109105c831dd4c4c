using System.Buffers.Binary;
using System.Text.Json;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Safetensors;

/// <summary>
/// Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON (<c>{name: {"dtype", "shape", "data_offsets"}, "__metadata__": {str: str}}</c>), then the data buffer.
/// TorchSharp.PyBridge reads and writes the format too, but trusts the header: it allocates every shape a file claims
/// and never compares offsets with the file's size, so a truncated or hostile file gets an allocation failure or a
/// tensor of garbage rather than an error naming the file. Here the whole header is validated against the file
/// (<see cref="SafetensorsHeader"/>) before any tensor is made. Writing goes to a temporary file renamed over the
/// target only when complete (PyBridge's writer overwrites in place and keeps no metadata).
/// </summary>
public static class SafetensorsFile
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>Reads and validates only the header.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(stream, path);
    }

    /// <summary>Reads every tensor.</summary>
    public static WeightsContent Read(string path) => Read(path, null);

    /// <summary>Reads the named tensors (all when <paramref name="names"/> is null); a name not in the file is an error.</summary>
    public static WeightsContent Read(string path, IEnumerable<string>? names)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = OpenRead(path);
        return Read(stream, path, names);
    }

    /// <summary>Reads a safetensors image from a seekable stream; <paramref name="sourceName"/> names it in errors.</summary>
    public static WeightsContent Read(Stream stream, string sourceName, IEnumerable<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var header = SafetensorsHeader.Read(stream, sourceName);
        var wanted = header.Tensors;
        if (names is not null)
        {
            var byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            wanted = names.Distinct(StringComparer.Ordinal)
                .Select(n => byName.TryGetValue(n, out var info) ? info : throw new KeyNotFoundException($"{sourceName}: no tensor named \"{n}\""))
                .ToArray();
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in wanted)
            {
                // Made outside any caller's dispose scope: the content owns its tensors until disposed.
                var tensor = torch.empty(info.Shape, info.DType).DetachFromDisposeScope();
                result[info.Name] = tensor;
                if (info.ByteLength > 0)
                {
                    stream.Position = header.DataStart + info.Begin;
                    tensor.ReadBytesFromStream(stream, CopyBuffer);
                }
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return new WeightsContent(result, header.Metadata);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; copied to the CPU) sorted by name, the header padded with
    /// spaces to a multiple of 8 bytes, through a temporary file in the same folder renamed over <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, tensors, metadata);
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

    /// <summary>Writes a safetensors image to <paramref name="stream"/> (for files, prefer <see cref="Write(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>).</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            if (name.Length == 0 || name == SafetensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"\"{name}\" cannot name a tensor in a safetensors file", nameof(tensors));
            }

            _ = SafetensorsDType.NameOf(tensors[name].dtype);
        }

        using var scope = torch.NewDisposeScope();
        var header = BuildHeader(names, tensors, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var name in names)
        {
            var tensor = tensors[name];
            if (tensor.NumberOfElements > 0)
            {
                tensor.detach().cpu().contiguous().WriteBytesToStream(stream, CopyBuffer);
            }
        }
    }

    private static byte[] BuildHeader(string[] names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            var offset = 0L;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                var bytes = checked(tensor.NumberOfElements * SafetensorsDType.ElementSize(tensor.dtype));
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.NameOf(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        var padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (var i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"safetensors file {path} does not exist", path, e);
        }
    }
}
