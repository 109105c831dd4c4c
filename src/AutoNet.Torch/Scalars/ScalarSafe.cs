using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Scalars;

/// <summary>
/// Tensor arithmetic with numbers that keeps every Scalar alive until libtorch has returned, for the places where
/// TorchSharp's operators (<c>a + b</c>, <c>t * 0.5</c>, <c>1.0 - t</c>) and <c>arange(n)</c> would create
/// finalizable temporaries; see <see cref="HeldScalars"/>. Results are those of the operators they replace.
/// </summary>
public static class ScalarSafe
{
    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, HeldScalars.One);

    /// <summary><c>tensor * factor</c>.</summary>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><c>tensor * factor</c>, keeping an integer tensor's type.</summary>
    public static Tensor Times(this Tensor tensor, long factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><c>tensor / divisor</c>.</summary>
    public static Tensor DividedBy(this Tensor tensor, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary><c>1 - tensor</c>.</summary>
    public static Tensor OneMinus(this Tensor tensor) => tensor.neg().add_(HeldScalars.One, HeldScalars.One);

    /// <summary><c>a * weightA + b * weightB</c>.</summary>
    public static Tensor WeightedSum(Tensor a, double weightA, Tensor b, double weightB)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var scope = torch.NewDisposeScope();
        return a.Times(weightA).Plus(b.Times(weightB)).MoveToOuterDisposeScope();
    }

    /// <summary><c>arange(count)</c>: 0, 1, …, count − 1 as int64 on <paramref name="device"/>.</summary>
    public static Tensor Arange(long count, Device? device = null)
    {
        using var stop = count.ToScalar();
        return torch.arange(HeldScalars.Zero, stop, HeldScalars.One, ScalarType.Int64, device);
    }
}
