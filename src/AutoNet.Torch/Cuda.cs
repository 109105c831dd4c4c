using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>CUDA availability; false on a CPU-only libtorch such as Debian's.</summary>
public static class Cuda
{
    public static bool IsAvailable => ATNRuntime_cuda_is_available() != 0;

    public static int DeviceCount => ATNRuntime_cuda_device_count();

    public static bool CudnnIsAvailable => ATNRuntime_cudnn_is_available() != 0;
}
