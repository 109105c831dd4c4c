using System.Runtime.InteropServices;

namespace AutoNet.Torch.Kernels;

/// <summary>
/// libtorch's global switches for oneDNN (MKL-DNN) and NNPACK kernels, which TorchSharp does not expose (PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> and <c>torch.backends.nnpack.enabled</c>). Reached through libtorch's exported C++ entry points; the Itanium-mangled
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

    /// <summary>PyTorch's <c>torch.backends.nnpack.enabled</c>.</summary>
    public static bool NnpackEnabled
    {
        get => UserEnabledNnpack(GlobalContext());
        set => SetUserEnabledNnpack(GlobalContext(), value);
    }

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledNnpack(IntPtr context);
}
