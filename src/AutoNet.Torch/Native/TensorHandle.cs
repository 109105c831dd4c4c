using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops libtorch's reference.</summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long live;

    // Set on the finalizer thread while it releases a handle nobody disposed (see Dispose(bool)).
    [ThreadStatic]
    private static bool finalizing;

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
    public static long LiveCount => Interlocked.Read(ref live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            base.Dispose(disposing);
            return;
        }

        finalizing = true;
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            finalizing = false;
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.ATNTensor_dispose(handle);

        // One counter, changed once per handle, so a reader never sees a release half counted.
        if (!finalizing)
        {
            Interlocked.Decrement(ref live);
        }

        return true;
    }
}
