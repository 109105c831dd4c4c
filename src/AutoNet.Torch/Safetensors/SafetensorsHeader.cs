using System.Text;
using System.Text.Json;

namespace AutoNet.Torch.Safetensors;

/// <summary>
/// A safetensors header, fully validated against the file's size before anything is allocated for tensors: every
/// entry has a known dtype, non-negative dimensions whose byte size (overflow-checked) equals its offsets, and the
/// entries tile the data buffer exactly (no gap, no overlap, nothing past the end).
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Headers larger than this are refused (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>The entries in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>File offset of the data buffer: 8 + header length.</summary>
    public long DataStart { get; }

    /// <summary>Reads and validates the header of an open, seekable file or buffer (positioned anywhere); <paramref name="path"/> names it in errors.</summary>
    public static SafetensorsHeader Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("a safetensors header is checked against the size of what follows it: give a seekable stream", nameof(stream));
        }

        var fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new SafetensorsFormatException(path, null, $"file is {fileLength} bytes, too short for the 8-byte header length (truncated?)");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(path, "header length", $"claims {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw new SafetensorsFormatException(path, "header length", $"claims {headerLength} bytes but only {fileLength - 8} follow the length (truncated?)");
        }

        if (headerLength < 2)
        {
            throw new SafetensorsFormatException(path, "header", $"is {headerLength} bytes, too short for a JSON object");
        }

        var bytes = new byte[headerLength];
        stream.ReadExactly(bytes);
        return Parse(bytes, path, fileLength - 8 - (long)headerLength, 8 + (long)headerLength);
    }

    private static SafetensorsHeader Parse(byte[] bytes, string path, long bufferLength, long dataStart)
    {
        try
        {
            StrictUtf8.GetCharCount(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsFormatException(path, "header", "is not valid UTF-8", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, "header", $"is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(path, "header", $"is a JSON {root.ValueKind}, not an object");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new SafetensorsFormatException(path, property.Name, "appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(property.Value, path);
                    continue;
                }

                tensors.Add(ParseEntry(property.Name, property.Value, path, bufferLength));
            }

            CheckTiling(tensors, path, bufferLength);
            return new SafetensorsHeader(tensors, metadata, dataStart);
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, MetadataKey, $"is a JSON {value.ValueKind}, not an object of strings");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(path, $"{MetadataKey}.{entry.Name}", $"is a JSON {entry.Value.ValueKind}, not a string");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw new SafetensorsFormatException(path, $"{MetadataKey}.{entry.Name}", "appears twice");
            }
        }

        return metadata;
    }

    private static SafetensorsTensorInfo ParseEntry(string name, JsonElement value, string path, long bufferLength)
    {
        if (name.Length == 0)
        {
            throw new SafetensorsFormatException(path, "\"\"", "a tensor name is empty");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, name, $"is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets");
        }

        string? dtypeName = null;
        JsonElement? shapeElement = null;
        JsonElement? offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw new SafetensorsFormatException(path, $"{name}.dtype", $"is a JSON {field.Value.ValueKind}, not a string");
                    break;
                case "shape" when shapeElement is null:
                    shapeElement = field.Value;
                    break;
                case "data_offsets" when offsetsElement is null:
                    offsetsElement = field.Value;
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw new SafetensorsFormatException(path, $"{name}.{field.Name}", "appears twice");
                default:
                    throw new SafetensorsFormatException(path, $"{name}.{field.Name}", "is not a safetensors field (expected dtype, shape, data_offsets)");
            }
        }

        if (dtypeName is null || shapeElement is null || offsetsElement is null)
        {
            var missing = dtypeName is null ? "dtype" : shapeElement is null ? "shape" : "data_offsets";
            throw new SafetensorsFormatException(path, $"{name}.{missing}", "is missing");
        }

        if (!SafetensorsDType.TryParse(dtypeName, out var dtype))
        {
            throw new SafetensorsFormatException(path, $"{name}.dtype", $"\"{dtypeName}\" is not a supported dtype ({string.Join(", ", SafetensorsDType.Names)})");
        }

        var shape = ReadIntegers(shapeElement.Value, path, $"{name}.shape", expectedCount: null);
        var offsets = ReadIntegers(offsetsElement.Value, path, $"{name}.data_offsets", expectedCount: 2);
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
        {
            throw new SafetensorsFormatException(path, $"{name}.data_offsets", $"begin {begin} is after end {end}");
        }

        if (end > bufferLength)
        {
            throw new SafetensorsFormatException(path, $"{name}.data_offsets", $"end {end} is past the {bufferLength}-byte data buffer (truncated?)");
        }

        long bytes;
        try
        {
            var count = 1L;
            foreach (var dim in shape)
            {
                count = checked(count * dim);
            }

            bytes = checked(count * SafetensorsDType.ElementSize(dtype));
        }
        catch (OverflowException e)
        {
            throw new SafetensorsFormatException(path, $"{name}.shape", $"[{string.Join(", ", shape)}] of {dtypeName} overflows a 64-bit byte count", e);
        }

        if (bytes != end - begin)
        {
            throw new SafetensorsFormatException(path, name,
                $"shape [{string.Join(", ", shape)}] of {dtypeName} needs {bytes} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement element, string path, string field, int? expectedCount)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new SafetensorsFormatException(path, field, $"is a JSON {element.ValueKind}, not an array of integers");
        }

        var count = element.GetArrayLength();
        if (expectedCount is { } expected && count != expected)
        {
            throw new SafetensorsFormatException(path, field, $"has {count} elements, expected {expected}");
        }

        if (count > 64)
        {
            throw new SafetensorsFormatException(path, field, $"has {count} dimensions, more than 64");
        }

        var result = new long[count];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new SafetensorsFormatException(path, field, $"element {i} ({item.GetRawText()}) is not a non-negative 64-bit integer");
            }

            result[i++] = value;
        }

        return result;
    }

    private static void CheckTiling(List<SafetensorsTensorInfo> tensors, string path, long bufferLength)
    {
        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToArray();
        var position = 0L;
        string? previous = null;
        foreach (var tensor in ordered)
        {
            if (tensor.Begin < position)
            {
                throw new SafetensorsFormatException(path, $"{tensor.Name}.data_offsets",
                    $"[{tensor.Begin}, {tensor.End}] overlaps {previous}, which ends at {position}");
            }

            if (tensor.Begin > position)
            {
                throw new SafetensorsFormatException(path, $"{tensor.Name}.data_offsets",
                    $"begins at {tensor.Begin}, leaving a gap after byte {position}{(previous is null ? string.Empty : $" ({previous})")}");
            }

            position = tensor.End;
            previous = tensor.Name;
        }

        if (position != bufferLength)
        {
            throw new SafetensorsFormatException(path, "data buffer",
                $"is {bufferLength} bytes but the tensors cover {position} (trailing bytes not described by the header)");
        }
    }
}
