using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops libtorch's reference.</summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long live;
    private static long releasedByFinalizer;

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

    /// <summary>
    /// How many native tensor handles were created and not disposed (for leak tests). A handle the garbage
    /// collector had to release still counts: it was leaked, and counting it keeps the figure independent of
    /// when the finalizer thread happens to run (garbage from an earlier test must not move a later test's count).
    /// </summary>
    public static long LiveCount => Interlocked.Read(ref live) + Interlocked.Read(ref releasedByFinalizer);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override void Dispose(bool disposing)
    {
        if (!disposing && !IsInvalid && !IsClosed)
        {
            Interlocked.Increment(ref releasedByFinalizer);
        }

        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.ATNTensor_dispose(handle);
        Interlocked.Decrement(ref live);
        return true;
    }
}
