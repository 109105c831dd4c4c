using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>Looks up a registered child by its state-dict name, so converters need no access to a module's private fields.</summary>
internal static class ModuleChildren
{
    public static Module Get(Module parent, string name) => Find(parent, name) ??
        throw new NotSupportedException($"ONNX export: a {parent.GetType().Name} has no child module '{name}' (children: {string.Join(", ", parent.NamedChildren().Select(c => c.Key))})");

    public static Module? Find(Module parent, string name)
    {
        foreach (var (childName, child) in parent.NamedChildren())
        {
            if (childName == name)
            {
                return child;
            }
        }

        return null;
    }
}
