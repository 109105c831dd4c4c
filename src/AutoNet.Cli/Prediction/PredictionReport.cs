using System.Text.Json.Serialization;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// What `autonet predict` found: per image its top classes, and the inputs that could not be predicted.
/// <see cref="Probabilities"/> holds every class's probability (row-major, in the order of
/// <see cref="Predictions"/>) for callers that need more than the top k; it is left out of the JSON.
/// </summary>
public sealed record PredictionReport(
    string Model,
    string Source,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<ImagePrediction> Predictions,
    IReadOnlyList<PredictionFailure> Failures)
{
    [JsonIgnore]
    public float[] Probabilities { get; init; } = [];
}
