using System.IO.MemoryMappedFiles;
using System.Text.Json;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch.Safetensors;

/// <summary>
/// Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON (<c>{name: {"dtype", "shape", "data_offsets"}, "__metadata__": {str: str}}</c>), then the data buffer.
/// Reading validates the whole header against the file (<see cref="SafetensorsHeader"/>) before any tensor is
/// made, then copies each tensor straight from a memory map; writing goes to a temporary file that is renamed over
/// the target only when complete.
/// </summary>
public static class SafetensorsFile
{
    private const long WriteChunk = 1 << 30;

    /// <summary>Reads and validates only the header.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(stream, path);
    }

    /// <summary>Reads every tensor.</summary>
    public static SafetensorsContent Read(string path) => Read(path, null);

    /// <summary>Reads the named tensors (all when <paramref name="names"/> is null); a name not in the file is an error.</summary>
    public static unsafe SafetensorsContent Read(string path, IEnumerable<string>? names)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = OpenRead(path);
        var header = SafetensorsHeader.Read(stream, path);
        var wanted = header.Tensors;
        if (names is not null)
        {
            var byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            wanted = names.Distinct(StringComparer.Ordinal)
                .Select(n => byName.TryGetValue(n, out var info) ? info : throw new KeyNotFoundException($"{path}: no tensor named \"{n}\""))
                .ToArray();
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            if (wanted.Any(t => t.ByteLength > 0))
            {
                using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
                using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                byte* basePointer = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
                try
                {
                    var data = basePointer + view.PointerOffset + header.DataStart;
                    foreach (var info in wanted)
                    {
                        result[info.Name] = Create(info, data + info.Begin);
                    }
                }
                finally
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                }
            }
            else
            {
                byte empty = 0;
                foreach (var info in wanted)
                {
                    result[info.Name] = Create(info, &empty);
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

        return new SafetensorsContent(result, header.Metadata);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; copied to the CPU) sorted by name, the header padded with
    /// spaces to a multiple of 8 bytes, through a temporary file in the same folder renamed over <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            if (name.Length == 0 || name == SafetensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"\"{name}\" cannot name a tensor in a safetensors file", nameof(tensors));
            }

            _ = SafetensorsDType.NameOf(tensors[name].DType);
        }

        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        using var scope = Torch.NewDisposeScope();
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var header = BuildHeader(names, tensors, metadata);
                Span<byte> prefix = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var name in names)
                {
                    WriteData(stream, tensors[name]);
                }

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
                var bytes = checked(tensor.NumEl * tensor.DType.ElementSize());
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.NameOf(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
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

    private static unsafe void WriteData(FileStream stream, Tensor tensor)
    {
        var bytes = tensor.NumEl * tensor.DType.ElementSize();
        if (bytes == 0)
        {
            return;
        }

        var cpu = tensor.Detach().To(tensor.DType, Device.Cpu).Contiguous();
        var pointer = (byte*)ATNTensor_data_ptr(cpu.Handle);
        if (pointer == null)
        {
            ThrowLastError();
        }

        for (var written = 0L; written < bytes; written += WriteChunk)
        {
            stream.Write(new ReadOnlySpan<byte>(pointer + written, (int)Math.Min(WriteChunk, bytes - written)));
        }

        GC.KeepAlive(cpu);
    }

    private static unsafe Tensor Create(SafetensorsTensorInfo info, byte* data)
    {
        fixed (long* shape = info.Shape)
        {
            return new Tensor(ATNTensor_from_blob_copy(data, info.ByteLength, shape, info.Shape.Length, (int)info.DType));
        }
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
