namespace AutoNet.Torch.Safetensors;

/// <summary>The safetensors dtype names AutoNet reads and writes, and their tensor types.</summary>
public static class SafetensorsDType
{
    private static readonly Dictionary<string, ScalarType> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = ScalarType.Float64,
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.UInt8,
        ["BOOL"] = ScalarType.Bool,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ScalarType type) => ByName.TryGetValue(name, out type);

    public static string NameOf(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.UInt8 => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no dtype for {type}"),
    };
}
