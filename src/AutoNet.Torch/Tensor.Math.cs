using AutoNet.Torch.Native;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>Elementwise math, arithmetic with broadcasting, comparisons and reductions.</summary>
public sealed unsafe partial class Tensor
{
    private static readonly NativeScalar One = ((Scalar)1).Native;

    public Tensor Neg() => new(ATNTensor_neg(Handle));
    public Tensor Abs() => new(ATNTensor_abs(Handle));
    public Tensor Exp() => new(ATNTensor_exp(Handle));
    public Tensor Log() => new(ATNTensor_log(Handle));
    public Tensor Sqrt() => new(ATNTensor_sqrt(Handle));
    public Tensor Rsqrt() => new(ATNTensor_rsqrt(Handle));
    public Tensor Sign() => new(ATNTensor_sign(Handle));
    public Tensor Floor() => new(ATNTensor_floor(Handle));
    public Tensor Ceil() => new(ATNTensor_ceil(Handle));
    public Tensor Round() => new(ATNTensor_round(Handle));
    public Tensor Sin() => new(ATNTensor_sin(Handle));
    public Tensor Cos() => new(ATNTensor_cos(Handle));
    public Tensor Reciprocal() => new(ATNTensor_reciprocal(Handle));
    public Tensor LogicalNot() => new(ATNTensor_logical_not(Handle));
    public Tensor IsNaN() => new(ATNTensor_isnan(Handle));
    public Tensor IsInf() => new(ATNTensor_isinf(Handle));
    public Tensor IsFinite() => new(ATNTensor_isfinite(Handle));
    public Tensor Pow(Scalar exponent) => new(ATNTensor_pow_scalar(Handle, exponent.Native));
    public Tensor Pow(Tensor exponent) => new(ATNTensor_pow(Handle, exponent.Handle));

    public Tensor Neg_() => InPlace(ATNTensor_neg_(Handle));
    public Tensor Exp_() => InPlace(ATNTensor_exp_(Handle));
    public Tensor Sqrt_() => InPlace(ATNTensor_sqrt_(Handle));
    public Tensor Zero_() => InPlace(ATNTensor_zero_(Handle));
    public Tensor Fill_(Scalar value) => InPlace(ATNTensor_fill_(Handle, value.Native));

    public Tensor Clamp(double? min = null, double? max = null) =>
        new(ATNTensor_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    public Tensor Clamp_(double? min = null, double? max = null) =>
        InPlace(ATNTensor_clamp_(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    // ---- arithmetic ------------------------------------------------------------------------------
    public Tensor Add(Tensor other, Scalar? alpha = null) => new(ATNTensor_add(Handle, other.Handle, (alpha ?? 1).Native));
    public Tensor Sub(Tensor other, Scalar? alpha = null) => new(ATNTensor_sub(Handle, other.Handle, (alpha ?? 1).Native));
    public Tensor Mul(Tensor other) => new(ATNTensor_mul(Handle, other.Handle));
    public Tensor Div(Tensor other) => new(ATNTensor_div(Handle, other.Handle));
    public Tensor Remainder(Tensor other) => new(ATNTensor_remainder(Handle, other.Handle));
    public Tensor Add(Scalar other) => new(ATNTensor_add_scalar(Handle, other.Native));
    public Tensor Sub(Scalar other) => new(ATNTensor_sub_scalar(Handle, other.Native));
    public Tensor Mul(Scalar other) => new(ATNTensor_mul_scalar(Handle, other.Native));
    public Tensor Div(Scalar other) => new(ATNTensor_div_scalar(Handle, other.Native));
    public Tensor Remainder(Scalar other) => new(ATNTensor_remainder_scalar(Handle, other.Native));
    public Tensor Maximum(Tensor other) => new(ATNTensor_maximum(Handle, other.Handle));
    public Tensor Minimum(Tensor other) => new(ATNTensor_minimum(Handle, other.Handle));
    public Tensor MatMul(Tensor other) => new(ATNTensor_matmul(Handle, other.Handle));
    public Tensor Mm(Tensor other) => new(ATNTensor_mm(Handle, other.Handle));
    public Tensor Bmm(Tensor other) => new(ATNTensor_bmm(Handle, other.Handle));
    public Tensor LogicalAnd(Tensor other) => new(ATNTensor_logical_and(Handle, other.Handle));
    public Tensor LogicalOr(Tensor other) => new(ATNTensor_logical_or(Handle, other.Handle));

    public Tensor Add_(Tensor other, Scalar? alpha = null) => InPlace(ATNTensor_add_(Handle, other.Handle, (alpha ?? 1).Native));
    public Tensor Sub_(Tensor other, Scalar? alpha = null) => InPlace(ATNTensor_sub_(Handle, other.Handle, (alpha ?? 1).Native));
    public Tensor Mul_(Tensor other) => InPlace(ATNTensor_mul_(Handle, other.Handle));
    public Tensor Div_(Tensor other) => InPlace(ATNTensor_div_(Handle, other.Handle));
    public Tensor Add_(Scalar other) => InPlace(ATNTensor_add_scalar_(Handle, other.Native));
    public Tensor Sub_(Scalar other) => InPlace(ATNTensor_sub_scalar_(Handle, other.Native));
    public Tensor Mul_(Scalar other) => InPlace(ATNTensor_mul_scalar_(Handle, other.Native));
    public Tensor Div_(Scalar other) => InPlace(ATNTensor_div_scalar_(Handle, other.Native));
    public Tensor AddCMul_(Tensor a, Tensor b, Scalar value) => InPlace(ATNTensor_addcmul_(Handle, a.Handle, b.Handle, value.Native));
    public Tensor AddCDiv_(Tensor a, Tensor b, Scalar value) => InPlace(ATNTensor_addcdiv_(Handle, a.Handle, b.Handle, value.Native));
    public Tensor Lerp_(Tensor end, Scalar weight) => InPlace(ATNTensor_lerp_(Handle, end.Handle, weight.Native));

    public static Tensor operator +(Tensor a, Tensor b) => new(ATNTensor_add(a.Handle, b.Handle, One));
    public static Tensor operator -(Tensor a, Tensor b) => new(ATNTensor_sub(a.Handle, b.Handle, One));
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator %(Tensor a, Tensor b) => a.Remainder(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.Add(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.Div(b);
    public static Tensor operator %(Tensor a, Scalar b) => a.Remainder(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.Add(a);
    public static Tensor operator *(Scalar a, Tensor b) => b.Mul(a);
    public static Tensor operator -(Scalar a, Tensor b) => new(ATNTensor_rsub_scalar(b.Handle, a.Native));

    /// <summary><paramref name="other"/> - <paramref name="alpha"/> * this, as <c>torch.rsub</c>.</summary>
    public Tensor Rsub(Tensor other, Scalar? alpha = null) => new(ATNTensor_rsub(Handle, other.Handle, (alpha ?? 1).Native));

    /// <summary><paramref name="other"/> - this, as <c>torch.rsub</c> with a scalar.</summary>
    public Tensor Rsub(Scalar other) => new(ATNTensor_rsub_scalar(Handle, other.Native));
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---- comparison ------------------------------------------------------------------------------
    public Tensor Eq(Tensor other) => new(ATNTensor_eq(Handle, other.Handle));
    public Tensor Ne(Tensor other) => new(ATNTensor_ne(Handle, other.Handle));
    public Tensor Lt(Tensor other) => new(ATNTensor_lt(Handle, other.Handle));
    public Tensor Le(Tensor other) => new(ATNTensor_le(Handle, other.Handle));
    public Tensor Gt(Tensor other) => new(ATNTensor_gt(Handle, other.Handle));
    public Tensor Ge(Tensor other) => new(ATNTensor_ge(Handle, other.Handle));
    public Tensor Eq(Scalar other) => new(ATNTensor_eq_scalar(Handle, other.Native));
    public Tensor Ne(Scalar other) => new(ATNTensor_ne_scalar(Handle, other.Native));
    public Tensor Lt(Scalar other) => new(ATNTensor_lt_scalar(Handle, other.Native));
    public Tensor Le(Scalar other) => new(ATNTensor_le_scalar(Handle, other.Native));
    public Tensor Gt(Scalar other) => new(ATNTensor_gt_scalar(Handle, other.Native));
    public Tensor Ge(Scalar other) => new(ATNTensor_ge_scalar(Handle, other.Native));

    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) => CheckBool(ATNTensor_allclose(Handle, other.Handle, rtol, atol));

    /// <summary>Same shape and exactly the same elements.</summary>
    public bool Equal(Tensor other) => CheckBool(ATNTensor_equal(Handle, other.Handle));

    // ---- reductions ------------------------------------------------------------------------------
    public Tensor Sum(ScalarType? dtype = null) => Reduce(null, false, (p, n, k) => ATNTensor_sum(Handle, p, n, k, dtype is null ? -1 : (int)dtype));
    public Tensor Sum(long[] dims, bool keepDim = false, ScalarType? dtype = null) => Reduce(dims, keepDim, (p, n, k) => ATNTensor_sum(Handle, p, n, k, dtype is null ? -1 : (int)dtype));
    public Tensor Sum(long dim, bool keepDim = false) => Sum(new[] { dim }, keepDim);

    /// <summary>Sums over <paramref name="dim"/>. Without this overload C# would bind <c>x.Sum(0)</c> to
    /// <see cref="Sum(ScalarType?)"/> (a literal 0 converts to any enum) and sum everything as UInt8.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum(new long[] { dim }, keepDim);
    public Tensor Mean() => Reduce(null, false, (p, n, k) => ATNTensor_mean(Handle, p, n, k));
    public Tensor Mean(long[] dims, bool keepDim = false) => Reduce(dims, keepDim, (p, n, k) => ATNTensor_mean(Handle, p, n, k));
    public Tensor Mean(long dim, bool keepDim = false) => Mean(new[] { dim }, keepDim);
    public Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false) => Reduce(dims, keepDim, (p, n, k) => ATNTensor_var(Handle, p, n, unbiased ? 1 : 0, k));
    public Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false) => Reduce(dims, keepDim, (p, n, k) => ATNTensor_std(Handle, p, n, unbiased ? 1 : 0, k));
    public Tensor Max() => new(ATNTensor_max_all(Handle));
    public Tensor Min() => new(ATNTensor_min_all(Handle));
    public Tensor ArgMax() => new(ATNTensor_argmax_all(Handle));
    public Tensor ArgMax(long dim, bool keepDim = false) => new(ATNTensor_argmax(Handle, dim, keepDim ? 1 : 0));
    public Tensor ArgMin(long dim, bool keepDim = false) => new(ATNTensor_argmin(Handle, dim, keepDim ? 1 : 0));
    public Tensor All() => new(ATNTensor_all(Handle));
    public Tensor Any() => new(ATNTensor_any(Handle));
    public Tensor Norm(double p = 2) => new(ATNTensor_norm(Handle, p));

    public Tensor Norm(double p, long[] dims, bool keepDim = false) => Reduce(dims, keepDim, (d, n, k) => ATNTensor_norm_dims(Handle, p, d, n, k));
    public Tensor CumSum(long dim) => new(ATNTensor_cumsum(Handle, dim));

    public unsafe (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        IntPtr values, indices;
        Check(ATNTensor_max_dim(Handle, dim, keepDim ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    public unsafe (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        IntPtr values, indices;
        Check(ATNTensor_min_dim(Handle, dim, keepDim ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    public unsafe (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        IntPtr values, indices;
        Check(ATNTensor_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    public unsafe (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        IntPtr values, indices;
        Check(ATNTensor_sort(Handle, dim, descending ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    private unsafe delegate IntPtr Reducer(long* dims, long count, int keepDim);

    private static unsafe Tensor Reduce(long[]? dims, bool keepDim, Reducer reducer)
    {
        fixed (long* p = dims)
        {
            return new Tensor(reducer(dims is null ? null : p, dims?.Length ?? 0, keepDim ? 1 : 0));
        }
    }

    private Tensor InPlace(int status)
    {
        Check(status);
        return this;
    }

    private static bool CheckBool(int result)
    {
        if (result < 0)
        {
            ThrowLastError();
        }

        return result != 0;
    }
}
