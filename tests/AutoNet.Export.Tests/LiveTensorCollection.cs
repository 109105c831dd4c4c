using AutoNet.Torch;

namespace AutoNet.Export.Tests;

/// <summary>Tests that count live tensors (a process-wide figure) run alone, so no other test's tensors move the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCollection
{
    public const string Name = "export live tensor counting";

    /// <summary>
    /// The live tensor count once earlier tests' unreachable tensors are finalized (their finalizers would otherwise
    /// lower the count in the middle of a measurement).
    /// </summary>
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return TorchEngine.CountLiveTensors();
    }
}
