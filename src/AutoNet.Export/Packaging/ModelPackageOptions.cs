using AutoNet.Export.Onnx;

namespace AutoNet.Export.Packaging;

/// <summary>What <see cref="ModelPackage.Write"/> needs besides the module.</summary>
public sealed record ModelPackageOptions
{
    /// <summary>The input: resolution, channel order, pixel scale (1/255 gives mean/std on a 0–1 scale), mean and std.</summary>
    public required OnnxPreprocessing Preprocessing { get; init; }

    /// <summary>One name per class, in the order of the logits.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    public ModelCard? Card { get; init; }

    public ModelExportFormats Formats { get; init; } = ModelExportFormats.All;

    public int OnnxOpset { get; init; } = OnnxGraphBuilder.MaximumOpset;
}
