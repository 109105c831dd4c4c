namespace AutoNet.Export.Packaging;

/// <summary>
/// What the caller knows about how a packaged model came to be, for its model card (README.md) and model.json's
/// "card". Every field may be absent; the card says "not recorded" rather than guessing.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The test accuracy of exactly what the package computes: one view per image, no test-time augmentation.</summary>
    public const string TestAccuracyMetric = "test_accuracy";

    /// <summary>The test accuracy with each image's probabilities averaged with its mirror's, as a search scores trials where flips are allowed.</summary>
    public const string FlipAveragedTestAccuracyMetric = "test_accuracy_flip_averaged";

    /// <summary>How many test images the test metrics counted.</summary>
    public const string TestImagesMetric = "test_images";

    /// <summary>A short title; the architecture names the model when absent.</summary>
    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The data set: a name (fashion-mnist) or the folder/manifest searched.</summary>
    public string? DataSet { get; init; }

    /// <summary>How the data was split, e.g. "train 80% / validation 10% / test 10%, stratified, seed 7".</summary>
    public string? Split { get; init; }

    public string? Experiment { get; init; }

    public string? Trial { get; init; }

    /// <summary>Metric name → value, e.g. "validation_accuracy" → 0.91, "test_accuracy" → 0.90.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>Hyperparameter name → value as text (learning rate, batch size, epochs, …).</summary>
    public IReadOnlyDictionary<string, string>? Hyperparameters { get; init; }

    public ModelSearchSummary? Search { get; init; }
}
