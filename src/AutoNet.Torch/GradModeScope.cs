using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>Sets libtorch's thread-local grad mode and restores the previous one on dispose.</summary>
public sealed class GradModeScope : IDisposable
{
    private readonly bool previous;
    private bool disposed;

    internal GradModeScope(bool enabled)
    {
        previous = ATNRuntime_set_grad_enabled(enabled ? 1 : 0) != 0;
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            _ = ATNRuntime_set_grad_enabled(previous ? 1 : 0);
        }
    }
}
