using static TorchSharp.torch;

namespace AutoNet.Torch.Safetensors;

/// <summary>The safetensors dtype names AutoNet reads and writes, their tensor types and element sizes.</summary>
public static class SafetensorsDType
{
    private static readonly Dictionary<string, (ScalarType Type, int Size)> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ScalarType type)
    {
        var found = ByName.TryGetValue(name, out var entry);
        type = entry.Type;
        return found;
    }

    public static string NameOf(ScalarType type) =>
        ByName.FirstOrDefault(p => p.Value.Type == type).Key ?? throw new NotSupportedException($"safetensors has no dtype for {type}");

    /// <summary>Bytes per element, known before any tensor exists (the header is checked against the file with it).</summary>
    public static int ElementSize(ScalarType type) =>
        ByName.Values.FirstOrDefault(v => v.Type == type) is { Size: > 0 } entry ? entry.Size : throw new NotSupportedException($"safetensors has no dtype for {type}");
}
