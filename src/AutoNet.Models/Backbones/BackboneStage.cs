namespace AutoNet.Models.Backbones;

/// <summary>
/// One freezable unit of a backbone, from the input side: a name and the state-dict prefixes of the modules it
/// holds (for example ResNet's stem is <c>conv1</c> and <c>bn1</c>, its next stage <c>layer1</c>).
/// </summary>
public sealed record BackboneStage(string Name, IReadOnlyList<string> Prefixes)
{
    internal bool Contains(string moduleName) =>
        Prefixes.Any(p => moduleName == p || moduleName.StartsWith(p + ".", StringComparison.Ordinal));
}
