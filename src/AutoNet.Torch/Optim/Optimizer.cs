namespace AutoNet.Torch.Optim;

/// <summary>
/// Base of the optimizers: parameter groups, <see cref="ZeroGrad"/>, <see cref="Step"/>, and state save/restore so
/// training resumes exactly. Per-parameter state tensors belong to the optimizer; dispose it to free them.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups = new();
    private readonly Dictionary<string, Tensor> state = new(StringComparer.Ordinal);
    private bool disposed;

    protected Optimizer(IEnumerable<ParamGroup> parameterGroups, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameterGroups);
        CheckNonNegative(learningRate, "learning rate");
        CheckNonNegative(weightDecay, "weight decay");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var group in parameterGroups)
        {
            if (double.IsNaN(group.LearningRate))
            {
                group.LearningRate = learningRate;
                group.InitialLearningRate = learningRate;
            }

            if (double.IsNaN(group.WeightDecay))
            {
                group.WeightDecay = weightDecay;
            }

            CheckNonNegative(group.LearningRate, "learning rate");
            CheckNonNegative(group.WeightDecay, "weight decay");
            foreach (var parameter in group.Parameters)
            {
                if (!parameter.IsLeaf || !parameter.RequiresGrad)
                {
                    throw new ArgumentException($"parameter {parameter} of group {groups.Count} is not a leaf tensor that requires grad");
                }

                if (!seen.Add(parameter))
                {
                    throw new ArgumentException($"a parameter appears twice (group {groups.Count})");
                }
            }

            groups.Add(group);
        }

        if (groups.Count == 0)
        {
            throw new ArgumentException("an optimizer needs at least one parameter group", nameof(parameterGroups));
        }
    }

    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>Clears every parameter's gradient: drops it (the default, as PyTorch 2) or fills it with zeros.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var group in groups)
        {
            foreach (var parameter in group.Parameters)
            {
                parameter.ZeroGrad(setToNone);
            }
        }
    }

    /// <summary>Updates every parameter that has a gradient, in place and without recording autograd history.</summary>
    public abstract void Step();

    /// <summary>A copy of the state (buffers, step counts, group learning rates and weight decays).</summary>
    public OptimizerState StateDict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state)
        {
            tensors[name] = tensor.Clone().DetachFromDisposeScope();
        }

        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            scalars[$"group.{g}.lr"] = groups[g].LearningRate;
            scalars[$"group.{g}.initial_lr"] = groups[g].InitialLearningRate;
            scalars[$"group.{g}.weight_decay"] = groups[g].WeightDecay;
            scalars[$"group.{g}.size"] = groups[g].Parameters.Count;
        }

        SaveScalars(scalars);
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>Restores a state taken by <see cref="StateDict"/> from an optimizer over the same parameter layout.</summary>
    public void LoadStateDict(OptimizerState source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(disposed, this);
        for (var g = 0; g < groups.Count; g++)
        {
            var size = Required(source, $"group.{g}.size");
            if (size != groups[g].Parameters.Count)
            {
                throw new ArgumentException($"state group {g} has {size} parameters, this optimizer's has {groups[g].Parameters.Count}");
            }
        }

        if (source.Scalars.ContainsKey($"group.{groups.Count}.size"))
        {
            throw new ArgumentException($"state has more than this optimizer's {groups.Count} parameter groups");
        }

        foreach (var (name, tensor) in source.Tensors)
        {
            var (group, index) = ParseStateName(name);
            var parameter = groups[group].Parameters[index];
            if (!tensor.Shape.SequenceEqual(parameter.Shape))
            {
                throw new ArgumentException($"state tensor {name} has shape [{string.Join(",", tensor.Shape)}], its parameter [{string.Join(",", parameter.Shape)}]");
            }
        }

        ClearState();
        foreach (var (name, tensor) in source.Tensors)
        {
            var (group, index) = ParseStateName(name);
            var parameter = groups[group].Parameters[index];
            using var detached = tensor.Detach();
            state[name] = detached.To(parameter.DType, parameter.Device, copy: true).DetachFromDisposeScope();
        }

        for (var g = 0; g < groups.Count; g++)
        {
            groups[g].LearningRate = Required(source, $"group.{g}.lr");
            groups[g].InitialLearningRate = Required(source, $"group.{g}.initial_lr");
            groups[g].WeightDecay = Required(source, $"group.{g}.weight_decay");
        }

        LoadScalars(source.Scalars);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposed && disposing)
        {
            ClearState();
        }

        disposed = true;
    }

    /// <summary>Writes the subclass's scalar state (step counts) into <paramref name="scalars"/>.</summary>
    protected virtual void SaveScalars(Dictionary<string, double> scalars)
    {
    }

    /// <summary>Reads the subclass's scalar state back.</summary>
    protected virtual void LoadScalars(IReadOnlyDictionary<string, double> scalars)
    {
    }

    protected static string StateName(int group, int index, string buffer) => $"state.{group}.{index}.{buffer}";

    /// <summary>The state tensor of that name, or null.</summary>
    protected Tensor? GetState(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return state.GetValueOrDefault(name);
    }

    /// <summary>Stores a state tensor the optimizer now owns.</summary>
    protected void SetState(string name, Tensor tensor)
    {
        if (state.Remove(name, out var old) && !ReferenceEquals(old, tensor))
        {
            old.Dispose();
        }

        state[name] = tensor.DetachFromDisposeScope();
    }

    /// <summary>Raw handles for a native call; the tensors must stay alive until it returns.</summary>
    internal static IntPtr[] RawHandles(IReadOnlyList<Tensor> tensors) => Tensor.Handles(tensors);

    /// <summary>Whether the parameter currently holds a gradient.</summary>
    protected static bool HasGrad(Tensor parameter)
    {
        using var grad = parameter.Grad;
        return grad is not null;
    }

    protected static double Required(IReadOnlyDictionary<string, double> scalars, string name) =>
        scalars.TryGetValue(name, out var value) ? value : throw new ArgumentException($"optimizer state has no scalar {name}");

    private static double Required(OptimizerState source, string name) => Required(source.Scalars, name);

    private (int Group, int Index) ParseStateName(string name)
    {
        var parts = name.Split('.');
        if (parts.Length != 4 || parts[0] != "state" || !int.TryParse(parts[1], out var group) || !int.TryParse(parts[2], out var index)
            || group < 0 || group >= groups.Count || index < 0 || index >= groups[group].Parameters.Count)
        {
            throw new ArgumentException($"optimizer state tensor {name} does not name a parameter of this optimizer");
        }

        return (group, index);
    }

    private void ClearState()
    {
        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }

        state.Clear();
    }

    private static void CheckNonNegative(double value, string what)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(what, value, $"{what} must be a finite number >= 0");
        }
    }
}
