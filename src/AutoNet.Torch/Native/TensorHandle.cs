using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops libtorch's reference.</summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long live;

    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public TensorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref live);
    }

    /// <summary>Stands for "no tensor" (an optional argument); never released.</summary>
    public static TensorHandle Null { get; } = new(ownsHandle: false);

    private TensorHandle(bool ownsHandle)
        : base(IntPtr.Zero, ownsHandle)
    {
    }

    /// <summary>How many native tensor handles are alive in this process (for leak tests).</summary>
    public static long LiveCount => Interlocked.Read(ref live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ATNTensor_dispose(handle);
        Interlocked.Decrement(ref live);
        return true;
    }
}
