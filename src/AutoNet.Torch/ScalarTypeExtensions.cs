namespace AutoNet.Torch;

public static class ScalarTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this ScalarType type) => type switch
    {
        ScalarType.UInt8 or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };

    public static bool IsFloatingPoint(this ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    /// <summary>The .NET element type that holds one value of <paramref name="type"/> bit for bit.</summary>
    public static ScalarType ScalarTypeOf<T>()
        where T : unmanaged
    {
        var t = typeof(T);
        if (t == typeof(float)) return ScalarType.Float32;
        if (t == typeof(double)) return ScalarType.Float64;
        if (t == typeof(long)) return ScalarType.Int64;
        if (t == typeof(int)) return ScalarType.Int32;
        if (t == typeof(short)) return ScalarType.Int16;
        if (t == typeof(byte)) return ScalarType.UInt8;
        if (t == typeof(sbyte)) return ScalarType.Int8;
        if (t == typeof(bool)) return ScalarType.Bool;
        if (t == typeof(Half)) return ScalarType.Float16;
        throw new ArgumentException($"{t.Name} has no tensor dtype; use float, double, long, int, short, byte, sbyte, bool or Half");
    }
}
