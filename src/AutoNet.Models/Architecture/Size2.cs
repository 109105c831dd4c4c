using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>A (height, width) pair of a kernel, stride or padding; JSON <c>[h, w]</c>.</summary>
[JsonConverter(typeof(Size2JsonConverter))]
public readonly record struct Size2(long H, long W)
{
    public static Size2 Square(long size) => new(size, size);

    public static implicit operator Size2(long size) => new(size, size);

    public static Size2 FromInt64(long size) => new(size, size);

    public override string ToString() => H == W ? H.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{H}x{W}";
}
