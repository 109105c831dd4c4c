using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>
/// The P/Invoke surface of libautonet_native, one partial file per native area (as TorchSharp's THS* files).
/// Entry points that yield a tensor return null on failure, the others return non-zero; either way the
/// native side has set the thread-local last error, which <see cref="ThrowLastError"/> turns into an exception.
/// </summary>
internal static partial class NativeMethods
{
    static NativeMethods()
    {
        NativeLibraryLoader.EnsureLoaded();
    }

    public static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero)
        {
            ThrowLastError();
        }

        return handle;
    }

    public static void Check(int status)
    {
        if (status != 0)
        {
            ThrowLastError();
        }
    }

    public static long CheckCount(long count)
    {
        if (count < 0)
        {
            ThrowLastError();
        }

        return count;
    }

    /// <summary>Throws the pending native error, if any; for calls whose return value cannot signal one.</summary>
    public static void ThrowIfError()
    {
        if (ATNRuntime_last_error() != IntPtr.Zero)
        {
            ThrowLastError();
        }
    }

    public static void ThrowLastError()
    {
        var pointer = ATNRuntime_last_error();
        var message = pointer == IntPtr.Zero ? "native call failed without a message" : Marshal.PtrToStringUTF8(pointer)!;
        ATNRuntime_clear_error();
        throw new AutoNetNativeException(message.TrimEnd());
    }
}
