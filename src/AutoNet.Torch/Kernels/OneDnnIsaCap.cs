using System.Runtime.InteropServices;

namespace AutoNet.Torch.Kernels;

/// <summary>
/// Caps the instruction set oneDNN generates kernels for (its <c>ONEDNN_MAX_CPU_ISA</c>), which it reads once, at
/// its first kernel: so this must run before the first TorchSharp operation of the process. .NET keeps its own copy
/// of the environment on Unix, so the variable is set in the C library's, where oneDNN looks.
/// </summary>
internal static partial class OneDnnIsaCap
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap the user set themselves, if any (then AutoNet leaves it alone).</summary>
    public static string? UserCap => Environment.GetEnvironmentVariable(Variable);

    public static void Apply(string isa)
    {
        Environment.SetEnvironmentVariable(Variable, isa);
        if (!OperatingSystem.IsWindows() && SetEnvironment(Variable, isa, 1) != 0)
        {
            throw new InvalidOperationException($"could not set {Variable}={isa} for oneDNN (setenv failed: errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
