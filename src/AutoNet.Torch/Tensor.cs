using System.Runtime.InteropServices;
using AutoNet.Torch.Native;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>
/// A libtorch tensor. It owns one native handle; dispose it (or let a <see cref="DisposeScope"/> do so)
/// rather than waiting for the finalizer. Method names follow PyTorch's in .NET casing.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(IntPtr native)
    {
        handle = new TensorHandle(Check(native));
        DisposeScope.Register(this);
    }

    /// <summary>Native tensor handles created and not disposed in this process (one the GC released still counts); tests use it to prove there is no leak.</summary>
    public static long LiveCount => TensorHandle.LiveCount;

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    internal DisposeScope? Scope { get; set; }

    public bool IsDisposed => handle.IsClosed;

    public long Dim => ATNTensor_ndim(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[ATNTensor_ndim(Handle)];
            fixed (long* p = shape)
            {
                ATNTensor_shape(Handle, p);
            }

            return shape;
        }
    }

    public unsafe long[] Strides
    {
        get
        {
            var strides = new long[ATNTensor_ndim(Handle)];
            fixed (long* p = strides)
            {
                Check(ATNTensor_strides(Handle, p));
            }

            return strides;
        }
    }

    /// <summary>Size of one dimension; negative indices count from the end.</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        var index = dim < 0 ? dim + shape.Length : dim;
        if (index < 0 || index >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {shape.Length} dimensions");
        }

        return shape[index];
    }

    public long NumEl => ATNTensor_numel(Handle);

    public ScalarType DType => (ScalarType)ATNTensor_dtype(Handle);

    public Device Device => new((DeviceType)ATNTensor_device_type(Handle), ATNTensor_device_index(Handle));

    public bool IsContiguous(MemoryFormat format = MemoryFormat.Contiguous) => ATNTensor_is_contiguous(Handle, (int)format) != 0;

    public void Dispose()
    {
        handle.Dispose();
        Scope = null;
    }

    /// <summary>Hands this tensor to the scope around the current one (or to nobody) and returns it.</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = Scope?.Outer;
        Scope = null;
        outer?.Adopt(this);
        return this;
    }

    /// <summary>Takes this tensor out of every dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope = null;
        return this;
    }

    // ---- data in and out ------------------------------------------------------------------------

    /// <summary>Copies the elements (from any device and layout) into a new managed array.</summary>
    public unsafe T[] ToArray<T>()
        where T : unmanaged
    {
        var expected = ScalarTypeExtensions.ScalarTypeOf<T>();
        if (expected != DType)
        {
            throw new InvalidOperationException($"tensor is {DType} but {typeof(T).Name}[] holds {expected}; convert with .To(ScalarType.{expected}) first");
        }

        var result = new T[NumEl];
        fixed (T* p = result)
        {
            Check(ATNTensor_copy_to_host(Handle, p, (long)result.Length * sizeof(T)));
        }

        return result;
    }

    /// <summary>The value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
    public unsafe T Item<T>()
        where T : unmanaged
    {
        NativeScalar scalar;
        Check(ATNTensor_item(Handle, &scalar));
        var value = Scalar.FromNative(scalar);
        object boxed = typeof(T) switch
        {
            var t when t == typeof(float) => (float)value.ToDouble(),
            var t when t == typeof(double) => value.ToDouble(),
            var t when t == typeof(long) => value.ToInt64(),
            var t when t == typeof(int) => checked((int)value.ToInt64()),
            var t when t == typeof(bool) => value.ToInt64() != 0,
            var t when t == typeof(byte) => checked((byte)value.ToInt64()),
            _ => throw new ArgumentException($"Item<{typeof(T).Name}> is not supported"),
        };
        return (T)boxed;
    }

    /// <summary>Read-only view of a contiguous CPU tensor's elements, valid while the tensor lives.</summary>
    public unsafe ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        if (ScalarTypeExtensions.ScalarTypeOf<T>() != DType)
        {
            throw new InvalidOperationException($"tensor is {DType}, not {typeof(T).Name}");
        }

        var pointer = ATNTensor_data_ptr(Handle);
        if (pointer == null)
        {
            ThrowLastError();
        }

        return new ReadOnlySpan<T>(pointer, checked((int)NumEl));
    }

    // ---- conversion -----------------------------------------------------------------------------

    public Tensor To(Device device, bool nonBlocking = false) => To(DType, device, nonBlocking);

    public Tensor To(ScalarType dtype) => To(dtype, Device);

    public Tensor To(ScalarType dtype, Device device, bool nonBlocking = false, bool copy = false) =>
        new(ATNTensor_to(Handle, (int)dtype, (int)device.Type, device.Index, nonBlocking ? 1 : 0, copy ? 1 : 0));

    public Tensor Cpu() => To(Device.Cpu);

    public Tensor Float() => To(ScalarType.Float32);

    public Tensor Long() => To(ScalarType.Int64);

    public Tensor Contiguous(MemoryFormat format = MemoryFormat.Contiguous) => new(ATNTensor_contiguous(Handle, (int)format));

    public Tensor PinMemory() => new(ATNTensor_pin_memory(Handle));

    public Tensor Clone() => new(ATNTensor_clone(Handle));

    /// <summary>A second handle to the same tensor (shared storage and autograd identity).</summary>
    public Tensor Alias() => new(ATNTensor_alias(Handle));

    public Tensor CopyFrom(Tensor source, bool nonBlocking = false)
    {
        Check(ATNTensor_copy_(Handle, source.Handle, nonBlocking ? 1 : 0));
        return this;
    }

    public override string ToString() => $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={DType}, device={Device})";

    internal static unsafe Tensor[] FromList(long count, IntPtr* handles)
    {
        CheckCount(count);
        try
        {
            var result = new Tensor[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = new Tensor(handles[i]);
            }

            return result;
        }
        finally
        {
            ATNRuntime_free_handles(handles);
        }
    }

    internal static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var result = new IntPtr[tensors.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = tensors[i].Handle.DangerousGetHandle();
        }

        return result;
    }
}
