using AutoNet.Torch.Native;

namespace AutoNet.Torch;

/// <summary>A number passed to a tensor op that keeps whether it is integral, so <c>longs + 1</c> stays long.</summary>
public readonly struct Scalar
{
    private readonly NativeScalar value;

    private Scalar(NativeScalar value) => this.value = value;

    internal NativeScalar Native => value;

    public bool IsIntegral => value.Kind == 1;

    public bool IsBoolean => value.Kind == 2;

    public double ToDouble() => value.Kind == 0 ? value.Real : value.Integer;

    public long ToInt64() => value.Kind == 0 ? (long)value.Real : value.Integer;

    public static implicit operator Scalar(double x) => new(new NativeScalar((long)x, x, 0));

    public static implicit operator Scalar(float x) => new(new NativeScalar((long)x, x, 0));

    public static implicit operator Scalar(long x) => new(new NativeScalar(x, x, 1));

    public static implicit operator Scalar(int x) => new(new NativeScalar(x, x, 1));

    public static implicit operator Scalar(bool x) => new(new NativeScalar(x ? 1 : 0, x ? 1 : 0, 2));

    internal static Scalar FromNative(NativeScalar native) => new(native);

    public override string ToString() => value.Kind switch
    {
        0 => value.Real.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => value.Integer != 0 ? "True" : "False",
        _ => value.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
