using System.Runtime.InteropServices;

namespace AutoNet.Torch.Kernels;

/// <summary>
/// libtorch's global switch for oneDNN (MKL-DNN) kernels, which TorchSharp does not expose (PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>). Reached through libtorch's exported C++ entry points; the Itanium-mangled
/// names hold on Linux and macOS, so elsewhere <see cref="IsAvailable"/> is false.
/// </summary>
internal static partial class LibtorchContext
{
    private const string Library = "libtorch_cpu";

    public static bool IsAvailable => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    public static bool OneDnnEnabled
    {
        get => UserEnabledMkldnn(GlobalContext());
        set => SetUserEnabledMkldnn(GlobalContext(), value);
    }

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);
}
