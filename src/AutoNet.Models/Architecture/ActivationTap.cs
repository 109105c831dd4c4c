using static TorchSharp.torch;

namespace AutoNet.Models.Architecture;

/// <summary>
/// Lets a caller see every activation output of the architecture networks run on this thread, while a
/// <see cref="Listen"/> scope is open. Searched networks apply their activations functionally (<see cref="ArchOps"/>),
/// not as modules, so a module forward hook cannot reach them; training-free scores such as NASWOT read the binary
/// pattern of each rectifier through this tap instead. The tap is per thread because trials train in parallel on
/// other threads and must not feed a scorer's listener.
/// </summary>
public static class ActivationTap
{
    [ThreadStatic]
    private static Action<Activation, Tensor>? listener;

    /// <summary>Whether a listener is open on this thread (the forward pays nothing else when not).</summary>
    public static bool IsListening => listener is not null;

    /// <summary>
    /// Calls <paramref name="onActivation"/> with each activation's kind and output (borrowed: valid during the call
    /// only) until the returned scope is disposed. Scopes nest; the inner one is heard until it closes.
    /// </summary>
    public static IDisposable Listen(Action<Activation, Tensor> onActivation)
    {
        ArgumentNullException.ThrowIfNull(onActivation);
        var previous = listener;
        listener = onActivation;
        return new Scope(previous);
    }

    internal static void Heard(Activation function, Tensor output) => listener?.Invoke(function, output);

    private sealed class Scope(Action<Activation, Tensor>? previous) : IDisposable
    {
        private bool closed;

        public void Dispose()
        {
            if (!closed)
            {
                closed = true;
                listener = previous;
            }
        }
    }
}
