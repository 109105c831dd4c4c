namespace AutoNet.Models.Backbones;

/// <summary>
/// How a backbone is built. The defaults are torchvision's: 1000 classes, RGB input, classifier dropout 0.2
/// (MobileNetV2, EfficientNet-B0) and EfficientNet's stochastic depth probability 0.2.
/// </summary>
public sealed record BackboneOptions
{
    /// <summary>Outputs of the classifier; 0 builds a feature extractor with no classifier at all (no head keys).</summary>
    public long NumClasses { get; init; } = 1000;

    /// <summary>Channels of the input images (1 for grayscale); the stem convolution takes this many.</summary>
    public long InChannels { get; init; } = 3;

    /// <summary>
    /// Dropout before the classifier's linear layer (torchvision's <c>dropout</c>); null means the architecture's
    /// default. ResNets have none in torchvision, so only null or 0 is accepted for them.
    /// </summary>
    public double? Dropout { get; init; }

    /// <summary>EfficientNet's final stochastic depth probability (torchvision's <c>stochastic_depth_prob</c>); null means 0.2. Other architectures accept only null or 0.</summary>
    public double? StochasticDepthProb { get; init; }

    internal void Validate(string architecture)
    {
        if (NumClasses < 0)
        {
            throw new ArgumentException($"{architecture}: BackboneOptions.NumClasses is {NumClasses}; the number of classes must be 0 (feature extractor) or more");
        }

        if (InChannels < 1)
        {
            throw new ArgumentException($"{architecture}: BackboneOptions.InChannels is {InChannels}; the number of input channels must be at least 1");
        }

        if (Dropout is { } p && !(p >= 0 && p < 1))
        {
            throw new ArgumentException($"{architecture}: BackboneOptions.Dropout is {p}; dropout must be in [0, 1)");
        }

        if (StochasticDepthProb is { } s && !(s >= 0 && s < 1))
        {
            throw new ArgumentException($"{architecture}: BackboneOptions.StochasticDepthProb is {s}; the stochastic depth probability must be in [0, 1)");
        }
    }
}
