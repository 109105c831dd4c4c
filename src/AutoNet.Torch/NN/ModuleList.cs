using System.Globalization;

namespace AutoNet.Torch.NN;

/// <summary>An indexed list of child modules named "0", "1", …, as torch.nn.ModuleList; it has no forward of its own.</summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> modules = new();

    public ModuleList(params Module[] modules)
    {
        foreach (var module in modules)
        {
            Add(module);
        }
    }

    public int Count => modules.Count;

    public Module this[int index] => modules[index];

    public ModuleList Add(Module module)
    {
        RegisterModule(modules.Count.ToString(CultureInfo.InvariantCulture), module);
        modules.Add(module);
        return this;
    }

    public IEnumerator<Module> GetEnumerator() => modules.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
