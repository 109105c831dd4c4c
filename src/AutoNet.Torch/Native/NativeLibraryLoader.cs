using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoNet.Torch.Native;

/// <summary>Finds libautonet_native beside the assembly and refuses one built for another ABI.</summary>
internal static class NativeLibraryLoader
{
    public const string LibraryName = "autonet_native";

    /// <summary>Must equal ATN_ABI_VERSION in native/atn_common.h.</summary>
    public const int ExpectedAbiVersion = 1;

    private static readonly object Gate = new();
    private static bool loaded;

    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref loaded))
        {
            return;
        }

        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
            int abi;
            try
            {
                abi = NativeMethods.ATNRuntime_abi_version();
            }
            catch (DllNotFoundException e)
            {
                throw new AutoNetNativeException(
                    $"Could not load the native library lib{LibraryName}.so next to {typeof(NativeLibraryLoader).Assembly.Location} " +
                    $"(or one of its dependencies, libtorch among them): {e.Message}. Build it with `dotnet build` or run ./autonet, which installs libtorch-dev.",
                    e);
            }

            VerifyAbi(abi);
            Volatile.Write(ref loaded, true);
        }
    }

    /// <summary>Refuses a native library built from other sources than this assembly.</summary>
    internal static void VerifyAbi(int actual)
    {
        if (actual != ExpectedAbiVersion)
        {
            throw new AutoNetNativeException(
                $"lib{LibraryName}.so has ABI version {actual} but this AutoNet.Torch expects {ExpectedAbiVersion}; " +
                "the native library is stale: rebuild the solution (dotnet build) so both come from the same sources.");
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        var overridePath = Environment.GetEnvironmentVariable("AUTONET_NATIVE_LIBRARY");
        if (!string.IsNullOrEmpty(overridePath))
        {
            return NativeLibrary.Load(overridePath);
        }

        var directory = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        var candidate = Path.Combine(directory, $"lib{name}.so");
        if (File.Exists(candidate))
        {
            return NativeLibrary.Load(candidate);
        }

        return NativeLibrary.TryLoad(name, assembly, searchPath, out var fallback) ? fallback : IntPtr.Zero;
    }
}
