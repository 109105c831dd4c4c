using AutoNet.Torch.Kernels;
using AutoNet.Torch.Loading;
using TorchSharp;

namespace AutoNet.Torch;

/// <summary>
/// The one set-up every AutoNet process (the CLI, workers, tests, benchmarks) does before its first TorchSharp call:
/// make TorchSharp's native library loadable here (<see cref="TorchSharpLibstdcxxFix"/>), check that convolutions
/// compute what they should (<see cref="ConvolutionCheck"/>) and set libtorch's thread count, which otherwise may
/// start at one.
/// </summary>
public static class TorchEngine
{
    private static readonly Lock Gate = new();
    private static ConvolutionCheckReport? convolutions;

    /// <summary>The convolution check's outcome in this process (run once, by <see cref="Initialize"/>).</summary>
    public static ConvolutionCheckReport Convolutions
    {
        get
        {
            lock (Gate)
            {
                if (convolutions is null)
                {
                    var version = torch.__version__;
                    if (LibtorchContext.IsAvailable)
                    {
                        // libtorch reaches for NNPACK only where oneDNN is off, and on hosts NNPACK does not support it
                        // prints "Could not initialize NNPACK" on every convolution layer; its kernels are not needed.
                        LibtorchContext.NnpackEnabled = false;
                    }

                    convolutions = ConvolutionCheck.Run(version);
                }

                return convolutions;
            }
        }
    }

    /// <summary>Prepares the native library (once per process) and sets the intra-op threads when given.</summary>
    public static LibstdcxxFixReport Initialize(int? threads = null)
    {
        var report = TorchSharpLibstdcxxFix.EnsureLoadable();
        _ = Convolutions;
        if (threads is { } count)
        {
            if (count < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(threads), count, "threads must be at least 1");
            }

            torch.set_num_threads(count);
        }

        return report;
    }

    /// <summary>
    /// TorchSharp tensors created in this process and not yet disposed, counted after unreachable ones have been
    /// finalized; tests use it to prove there is no leak. Settling first matters: TorchSharp's module constructors
    /// leave some tensor wrappers to the finalizer, and a collection that happened to run inside a measured stretch
    /// moved a raw count by dozens (a leak test saw 2902 live tensors against 2930 before).
    /// </summary>
    public static long CountLiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.Tensor.TotalCount;
    }
}
