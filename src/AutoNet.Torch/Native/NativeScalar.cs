using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>The blittable twin of the native <c>ATNScalar</c>: a number that keeps its kind across the boundary.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar
{
    public readonly long Integer;
    public readonly double Real;
    public readonly int Kind;

    public NativeScalar(long integer, double real, int kind)
    {
        Integer = integer;
        Real = real;
        Kind = kind;
    }
}
