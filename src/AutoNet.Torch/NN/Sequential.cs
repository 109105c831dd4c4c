using System.Globalization;

namespace AutoNet.Torch.NN;

/// <summary>Runs its children in order, as torch.nn.Sequential; they are named "0", "1", … in the state dict.</summary>
public sealed class Sequential : Module, IReadOnlyList<Module>
{
    private readonly List<Module> modules = new();

    public Sequential(params Module[] modules)
    {
        foreach (var module in modules)
        {
            Add(module);
        }
    }

    public int Count => modules.Count;

    public Module this[int index] => modules[index];

    public Sequential Add(Module module)
    {
        RegisterModule(modules.Count.ToString(CultureInfo.InvariantCulture), module);
        modules.Add(module);
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        var current = input;
        foreach (var module in modules)
        {
            var next = module.Forward(current);

            // Intermediate handles are ours to free; autograd keeps what it needs on the native side.
            if (!ReferenceEquals(current, input) && !ReferenceEquals(current, next))
            {
                current.Dispose();
            }

            current = next;
        }

        return ReferenceEquals(current, input) ? input.Alias() : current;
    }

    public IEnumerator<Module> GetEnumerator() => modules.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
