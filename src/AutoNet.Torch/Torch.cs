using System.Text;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>The <c>torch</c> namespace: tensor factories, joins, global settings (threads, seeds, grad mode).</summary>
public static unsafe partial class Torch
{
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording until disposed (<c>torch.no_grad()</c>).</summary>
    public static GradModeScope NoGrad() => new(false);

    public static GradModeScope EnableGrad() => new(true);

    public static bool IsGradEnabled => ATNRuntime_is_grad_enabled() != 0;

    public static unsafe string Version
    {
        get
        {
            var buffer = stackalloc byte[64];
            var length = ATNRuntime_torch_version(buffer, 64);
            return Encoding.UTF8.GetString(buffer, Math.Min(length, 63));
        }
    }

    public static int AbiVersion => ATNRuntime_abi_version();

    public static bool MkldnnIsAvailable => ATNRuntime_mkldnn_is_available() != 0;

    /// <summary>Intra-op threads libtorch uses; it starts at one here, so set it (all cores is a good default).</summary>
    public static void SetNumThreads(int threads) => Check(ATNRuntime_set_num_threads(threads));

    public static int GetNumThreads() => ATNRuntime_get_num_threads();

    /// <summary>Seeds every generator libtorch owns (CPU and each CUDA device): the same seed gives the same numbers.</summary>
    public static void ManualSeed(long seed) => Check(ATNRuntime_manual_seed(seed));

    /// <summary>Only deterministic kernels (an op without one throws); cuDNN benchmarking off.</summary>
    public static void UseDeterministicAlgorithms(bool enabled) => Check(ATNRuntime_set_deterministic(enabled ? 1 : 0));

    /// <summary>The CPU generator's state, to be saved in a checkpoint.</summary>
    public static Tensor GetRngState() => new(ATNRuntime_get_rng_state());

    public static void SetRngState(Tensor state) => Check(ATNRuntime_set_rng_state(state.Handle));

    // ---- factories -------------------------------------------------------------------------------
    public static Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false) =>
        Create(shape, dtype, device, requiresGrad, ATNTensor_empty);

    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false) =>
        Create(shape, dtype, device, requiresGrad, ATNTensor_zeros);

    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false) =>
        Create(shape, dtype, device, requiresGrad, ATNTensor_ones);

    public static Tensor Randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false) =>
        Create(shape, dtype, device, requiresGrad, ATNTensor_randn);

    public static Tensor Rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false) =>
        Create(shape, dtype, device, requiresGrad, ATNTensor_rand);

    public static Tensor ZerosLike(Tensor t) => Zeros(t.Shape, t.DType, t.Device);

    public static Tensor OnesLike(Tensor t) => Ones(t.Shape, t.DType, t.Device);

    /// <summary>A tensor filled with <paramref name="value"/>; without a dtype it follows the value, as torch.full does.</summary>
    public static unsafe Tensor Full(long[] shape, Scalar value, ScalarType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        var type = dtype ?? (value.IsBoolean ? ScalarType.Bool : value.IsIntegral ? ScalarType.Int64 : ScalarType.Float32);
        fixed (long* p = shape)
        {
            return new Tensor(ATNTensor_full(p, shape.Length, value.Native, (int)type, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
        }
    }

    public static Tensor Arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var type = dtype ?? (start.IsIntegral && end.IsIntegral && (step?.IsIntegral ?? true) ? ScalarType.Int64 : ScalarType.Float32);
        return new Tensor(ATNTensor_arange(start.Native, end.Native, (step ?? 1).Native, (int)type, (int)d.Type, d.Index, 0));
    }

    public static Tensor Arange(Scalar end, ScalarType? dtype = null, Device? device = null) => Arange(0, end, null, dtype, device);

    public static unsafe Tensor RandInt(long low, long high, long[] shape, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape)
        {
            return new Tensor(ATNTensor_randint(low, high, p, shape.Length, (int)dtype, (int)d.Type, d.Index));
        }
    }

    public static Tensor RandPerm(long n, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(ATNTensor_randperm(n, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, params long[] shape)
        where T : unmanaged
    {
        var dtype = ScalarTypeExtensions.ScalarTypeOf<T>();
        fixed (T* d = data)
        fixed (long* s = shape)
        {
            return new Tensor(ATNTensor_from_blob_copy(d, (long)data.Length * sizeof(T), s, shape.Length, (int)dtype));
        }
    }

    public static Tensor FromArray<T>(T[] data, params long[] shape)
        where T : unmanaged => FromArray(new ReadOnlySpan<T>(data), shape.Length == 0 ? new long[] { data.Length } : shape);

    /// <summary>Copies raw bytes into a new CPU tensor of <paramref name="dtype"/> (for formats such as safetensors).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ScalarType dtype, long[] shape)
    {
        fixed (byte* d = bytes)
        fixed (long* s = shape)
        {
            return new Tensor(ATNTensor_from_blob_copy(d, bytes.Length, s, shape.Length, (int)dtype));
        }
    }

    public static Tensor Scalar(Scalar value, ScalarType? dtype = null) =>
        Full(Array.Empty<long>(), value, dtype);

    // ---- joins and selection ---------------------------------------------------------------------
    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var handles = Tensor.Handles(tensors);
        fixed (IntPtr* p = handles)
        {
            var result = new Tensor(ATNTensor_cat(p, handles.Length, dim));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var handles = Tensor.Handles(tensors);
        fixed (IntPtr* p = handles)
        {
            var result = new Tensor(ATNTensor_stack(p, handles.Length, dim));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => new(ATNTensor_where(condition.Handle, a.Handle, b.Handle));

    public static Tensor Multinomial(Tensor probabilities, long samples, bool replacement = false) =>
        new(ATNTensor_multinomial(probabilities.Handle, samples, replacement ? 1 : 0));

    public static Tensor Bernoulli(Tensor probabilities) => new(ATNTensor_bernoulli(probabilities.Handle));

    public static Tensor OneHot(Tensor indices, long classes) => new(ATNTensor_one_hot(indices.Handle, classes));

    private unsafe delegate IntPtr Factory(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    private static unsafe Tensor Create(long[] shape, ScalarType dtype, Device? device, bool requiresGrad, Factory factory)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape)
        {
            return new Tensor(factory(p, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
        }
    }
}
