namespace AutoNet.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope, and frees them all when
/// disposed, so a training loop holds a constant amount of native memory. Keep a result alive past the
/// scope with <see cref="Tensor.MoveToOuterDisposeScope"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? current;

    private readonly List<Tensor> tensors = new();
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static DisposeScope? Current => current;

    public DisposeScope? Outer { get; }

    /// <summary>Tensors this scope will still free.</summary>
    public int Count => tensors.Count(t => ReferenceEquals(t.Scope, this) && !t.IsDisposed);

    internal static void Register(Tensor tensor)
    {
        var scope = current;
        if (scope is not null)
        {
            tensor.Scope = scope;
            scope.tensors.Add(tensor);
        }
    }

    internal void Adopt(Tensor tensor)
    {
        tensor.Scope = this;
        tensors.Add(tensor);
    }

    /// <summary>Moves tensors out of this scope into its outer one (or none) and returns the first.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        tensor.MoveToOuterDisposeScope();
        return tensor;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var tensor in tensors)
        {
            if (ReferenceEquals(tensor.Scope, this))
            {
                tensor.Dispose();
            }
        }

        tensors.Clear();
        if (ReferenceEquals(current, this))
        {
            current = Outer;
        }
        else
        {
            throw new InvalidOperationException("dispose scopes must be disposed in the reverse order of their creation");
        }
    }
}
