namespace AutoNet.Export.Onnx;

/// <summary>What goes into an exported ONNX model besides the network: its input description, class names, opset and extra metadata.</summary>
public sealed record OnnxExportOptions
{
    public required OnnxPreprocessing Preprocessing { get; init; }

    /// <summary>One name per output class, in the order of the logits.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Between <see cref="OnnxGraphBuilder.MinimumOpset"/> and <see cref="OnnxGraphBuilder.MaximumOpset"/>.</summary>
    public int Opset { get; init; } = OnnxGraphBuilder.MaximumOpset;

    public string InputName { get; init; } = "input";

    /// <summary>Also output softmax probabilities ("probabilities") beside the logits ("logits").</summary>
    public bool IncludeProbabilities { get; init; } = true;

    public string GraphName { get; init; } = "autonet";

    public string ProducerVersion { get; init; } = string.Empty;

    /// <summary>Extra metadata_props entries (e.g. the genotype, the trial); the keys "preprocessing" and "class_names" are ours.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
