namespace AutoNet.Torch.NN;

/// <summary>
/// The base of every layer and model, as <c>torch.nn.Module</c>: it owns its parameters, buffers and child
/// modules, names them hierarchically exactly as PyTorch's <c>state_dict</c> does, and frees them on dispose.
/// Tensors returned by <see cref="Parameters"/>, <see cref="StateDict"/> and friends are the module's own
/// (not copies): use them, never dispose them.
/// </summary>
public abstract class Module : IDisposable
{
    // Ordered lists, not dictionaries: registration order is the state_dict order PyTorch uses.
    private readonly List<KeyValuePair<string, Tensor>> parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> buffers = new();
    private readonly List<KeyValuePair<string, Module>> children = new();
    private bool disposed;

    public bool IsTraining { get; private set; } = true;

    /// <summary>Runs the layer. Containers without a forward of their own (ModuleList, ModuleDict) throw.</summary>
    public virtual Tensor Forward(Tensor input) =>
        throw new NotSupportedException($"{GetType().Name} has no forward of its own; call its children");

    /// <summary>Registers a parameter: it requires grad and is taken out of any dispose scope, so a scope around a training step never frees it.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        value.DetachFromDisposeScope();
        if (!value.RequiresGrad)
        {
            value.RequiresGrad = true;
        }

        parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a buffer (state that is saved but not trained, e.g. BatchNorm's running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        value.DetachFromDisposeScope();
        buffers.Add(new(name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        CheckName(name);
        children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}': names may not contain '.', which separates levels in state_dict keys", nameof(name));
        }

        if (parameters.Any(p => p.Key == name) || buffers.Any(b => b.Key == name) || children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}", nameof(name));
        }
    }

    // ---- traversal -----------------------------------------------------------------------------

    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => children;

    public IEnumerable<Module> Children() => children.Select(c => c.Value);

    /// <summary>This module (named "") and every descendant, depth first, as PyTorch's <c>named_modules</c>.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix, this);
        foreach (var (name, child) in children)
        {
            foreach (var item in child.NamedModules(Join(prefix, name)))
            {
                yield return item;
            }
        }
    }

    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Value);

    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(bool recurse = true) => Named(m => m.parameters, recurse);

    public IEnumerable<Tensor> Parameters(bool recurse = true) => NamedParameters(recurse).Select(p => p.Value);

    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(bool recurse = true) => Named(m => m.buffers, recurse);

    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(b => b.Value);

    private IEnumerable<KeyValuePair<string, Tensor>> Named(Func<Module, List<KeyValuePair<string, Tensor>>> select, bool recurse)
    {
        var modules = recurse ? NamedModules() : new[] { new KeyValuePair<string, Module>(string.Empty, this) };
        foreach (var (prefix, module) in modules)
        {
            foreach (var (name, tensor) in select(module))
            {
                yield return new(Join(prefix, name), tensor);
            }
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Runs <paramref name="action"/> on every descendant and then on this module, as PyTorch's <c>apply</c>.</summary>
    public Module Apply(Action<Module> action)
    {
        foreach (var (_, child) in children)
        {
            child.Apply(action);
        }

        action(this);
        return this;
    }

    // ---- state ---------------------------------------------------------------------------------

    /// <summary>
    /// Every parameter and buffer by its PyTorch key, in PyTorch's order (per module: its parameters, then its
    /// buffers, then its children). The tensors are the module's own.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        AddState(result, string.Empty);
        return result;
    }

    private void AddState(OrderedDictionary<string, Tensor> into, string prefix)
    {
        foreach (var (name, tensor) in parameters)
        {
            into.Add(Join(prefix, name), tensor);
        }

        foreach (var (name, tensor) in buffers)
        {
            into.Add(Join(prefix, name), tensor);
        }

        foreach (var (name, child) in children)
        {
            child.AddState(into, Join(prefix, name));
        }
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers in place (so optimizers holding them keep working).
    /// With <paramref name="strict"/>, missing and unexpected keys are errors; a shape mismatch always is. Nothing is
    /// copied unless every check passes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
            var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                problems.Add("missing keys: " + string.Join(", ", missing.Select(k => $"\"{k}\"")));
            }

            if (unexpected.Count > 0)
            {
                problems.Add("unexpected keys: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")));
            }
        }

        foreach (var (key, target) in own)
        {
            if (stateDict.TryGetValue(key, out var source) && !source.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"size mismatch for \"{key}\": the state dict has [{string.Join(", ", source.Shape)}], " +
                    $"the module has [{string.Join(", ", target.Shape)}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"error loading the state dict into {GetType().Name}: {string.Join("; ", problems)}", nameof(stateDict));
        }

        using var noGrad = Torch.NoGrad();
        foreach (var (key, target) in own)
        {
            if (stateDict.TryGetValue(key, out var source))
            {
                target.CopyFrom(source);
            }
        }
    }

    // ---- mode, device, gradients ---------------------------------------------------------------

    public Module Train(bool mode = true)
    {
        foreach (var module in Modules())
        {
            module.IsTraining = mode;
        }

        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Moves every parameter, gradient and buffer to <paramref name="device"/>, keeping each tensor's identity.</summary>
    public Module To(Device device) => Convert(t => t.To(device));

    /// <summary>Converts floating-point parameters and buffers to <paramref name="dtype"/> (integer buffers such as num_batches_tracked stay), keeping identities.</summary>
    public Module To(ScalarType dtype)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new ArgumentException($"modules can only be converted to a floating-point dtype, not {dtype}", nameof(dtype));
        }

        return Convert(t => t.DType.IsFloatingPoint() ? t.To(dtype) : null);
    }

    private Module Convert(Func<Tensor, Tensor?> convert)
    {
        using var noGrad = Torch.NoGrad();
        foreach (var tensor in Parameters().Concat(Buffers()))
        {
            using var grad = tensor.Grad;
            using var data = convert(tensor);
            if (data is null)
            {
                continue;
            }

            using var movedGrad = grad is null ? null : convert(grad);
            if (movedGrad is not null)
            {
                // The old gradient would not match the new data; it goes first and comes back converted.
                tensor.Grad = null;
            }

            tensor.SetData(data);
            if (movedGrad is not null)
            {
                tensor.Grad = movedGrad;
            }
        }

        return this;
    }

    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var parameter in Parameters())
        {
            parameter.ZeroGrad(setToNone);
        }
    }

    /// <summary>Number of parameter elements (optionally only trainable ones).</summary>
    public long ParameterCount(bool onlyTrainable = false) =>
        Parameters().Where(p => !onlyTrainable || p.RequiresGrad).Sum(p => p.NumEl);

    /// <summary>Frees every parameter and buffer of this module and its descendants.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var (_, child) in children)
        {
            child.Dispose();
        }

        foreach (var (_, tensor) in parameters.Concat(buffers))
        {
            tensor.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
