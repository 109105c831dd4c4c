namespace AutoNet.Torch.Tests.Parity;

/// <summary>
/// The parity classes share process-wide libtorch state with every other test: the CPU generator (seeded dropout and
/// multinomial must draw the same stream as python) and the intra-op thread count (a reduction split over 2 threads
/// sums in another order than python's 1 thread: conv2d's weight gradient was seen to differ by 2e-4 relative).
/// So they run alone, after the parallel tests, one class at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ParityCollection
{
    public const string Name = "PyTorch parity";
}
