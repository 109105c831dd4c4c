using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoNet.Models.Tests;

/// <summary>
/// Caps oneDNN at SSE4.1 for this test process. libtorch 2.10's oneDNN 3.7.1 computes wrong float32 convolutions on
/// this machine (AMD EPYC, AVX-512) whenever a channel count is not a multiple of its vector block (16 channels with
/// AVX-512, 8 with AVX2): backward-data off by O(10), some forwards (24→24 with AVX-512, 12→12 with AVX2) too, and
/// NaN at times, as if the padded part of the blocked layout were never zeroed. PyTorch 1.13's oneDNN 2.6.3 runs the
/// backward-data kernels correctly here, but gets the weight gradient of a 3-channel 7×7 stem wrong (resnet34's
/// conv1: −340.08 where float64 gives −331.83); SSE4.1's kernels are right for every shape we tried, in both
/// (<see cref="EngineConvolutionTests"/>). So both sides run capped: oneDNN reads ONEDNN_MAX_CPU_ISA once, at its
/// first primitive, from the native environment (which Environment.SetEnvironmentVariable does not reach on Unix),
/// hence setenv through libc; the managed environment is what the PyTorch reference processes inherit. A value
/// already set outside wins.
/// </summary>
internal static partial class OneDnnIsaCap
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Value = "SSE41";

#pragma warning disable CA2255 // The test assembly is the program here: the cap must precede libtorch's first convolution.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Environment.GetEnvironmentVariable(Variable) is null)
            {
                // Both: libc for this process's oneDNN, the managed block for the PyTorch references we start.
                _ = SetEnv(Variable, Value, overwrite: 1);
                Environment.SetEnvironmentVariable(Variable, Value);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
