namespace AutoNet.Models.Backbones;

/// <summary>
/// The backbones by registry name (torchvision's function names): resnet18, resnet34, resnet50, mobilenet_v2,
/// efficientnet_b0.
/// </summary>
public static class BackboneFactory
{
    private static readonly Dictionary<string, Func<BackboneOptions, Backbone>> Builders = new(StringComparer.Ordinal)
    {
        ["resnet18"] = o => ResNet.ResNet18(o),
        ["resnet34"] = o => ResNet.ResNet34(o),
        ["resnet50"] = o => ResNet.ResNet50(o),
        ["mobilenet_v2"] = o => MobileNetV2.Create(o),
        ["efficientnet_b0"] = o => EfficientNet.EfficientNetB0(o),
    };

    public static IReadOnlyList<string> Names { get; } = ["resnet18", "resnet34", "resnet50", "mobilenet_v2", "efficientnet_b0"];

    public static bool Contains(string name) => name is not null && Builders.ContainsKey(name);

    /// <summary>Builds <paramref name="name"/> with torchvision's random initialisation (seed it with Torch.ManualSeed).</summary>
    public static Backbone Create(string name, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Builders.TryGetValue(name, out var build))
        {
            throw new ArgumentException($"unknown backbone \"{name}\"; known: {string.Join(", ", Names)}", nameof(name));
        }

        return build(options ?? new BackboneOptions());
    }

    /// <summary>Builds <paramref name="name"/> and loads <paramref name="weightsPath"/> (safetensors, torchvision key names) into it; see <see cref="Backbone.LoadWeights(string, HeadWeights)"/>.</summary>
    public static Backbone Load(string name, string weightsPath, BackboneOptions? options = null, HeadWeights head = HeadWeights.Auto)
    {
        var backbone = Create(name, options);
        try
        {
            backbone.LoadWeights(weightsPath, head);
            return backbone;
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }
}
