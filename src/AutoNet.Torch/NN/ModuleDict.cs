namespace AutoNet.Torch.NN;

/// <summary>Child modules by name in insertion order, as torch.nn.ModuleDict; it has no forward of its own.</summary>
public sealed class ModuleDict : Module, IEnumerable<KeyValuePair<string, Module>>
{
    private readonly OrderedDictionary<string, Module> modules = new();

    public int Count => modules.Count;

    public Module this[string name] => modules.TryGetValue(name, out var module)
        ? module
        : throw new KeyNotFoundException($"ModuleDict has no module \"{name}\" (it has: {string.Join(", ", modules.Keys)})");

    public bool ContainsKey(string name) => modules.ContainsKey(name);

    public IEnumerable<string> Keys => modules.Keys;

    public ModuleDict Add(string name, Module module)
    {
        RegisterModule(name, module);
        modules.Add(name, module);
        return this;
    }

    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() => modules.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
