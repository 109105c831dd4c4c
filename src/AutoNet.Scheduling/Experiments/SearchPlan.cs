using System.Text.Json;
using AutoNet.Scheduling.Search;

namespace AutoNet.Scheduling.Experiments;

/// <summary>
/// How an experiment searches, as stored in its budget JSON: the budget (wall time, trials, total epochs) and the
/// data settings every worker needs to rebuild a trial's inputs the same way (the resolution used when the space
/// does not search one, whether a mirrored image is still of its class, and whether the loss is weighted by class).
/// Stored with the experiment, so a worker on another machine and a resumed search read the same plan.
/// </summary>
public sealed record SearchPlan
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public double? WallTimeSeconds { get; init; }

    public int? MaxTrials { get; init; }

    public long? MaxEpochs { get; init; }

    /// <summary>Image side in pixels when the space does not search <c>hp/input_resolution</c>.</summary>
    public required int Resolution { get; init; }

    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Weight the loss by inverse class frequency (an imbalanced data set).</summary>
    public bool ClassWeights { get; init; }

    /// <summary>
    /// Search trials train on a stratified subset of this many training images (null: all of them), so a large data set
    /// is searched quickly, and validate on a stratified subset in proportion (<see cref="SearchValidationImages"/>);
    /// the test split stays whole, and the final training uses every training and validation image of the split.
    /// </summary>
    public int? SearchTrainImages { get; init; }

    /// <summary>Fewest validation images a search trial on a training subset is judged on (about ±0.7 points at 90 %).</summary>
    public const int MinSearchValidationImages = 2_000;

    /// <summary>
    /// How many of <paramref name="validationImages"/> a search trial on a subset of <paramref name="searchTrainImages"/>
    /// validates on: a quarter of the subset, at least <see cref="MinSearchValidationImages"/>, at most all. Evaluating
    /// every epoch on a validation split larger than the training subset would cost more than the training it judges.
    /// </summary>
    public static int SearchValidationImages(int searchTrainImages, int validationImages) =>
        Math.Min(validationImages, Math.Max(MinSearchValidationImages, searchTrainImages / 4));

    /// <summary>
    /// After the search, the winner is trained again from scratch on every training image for as many epochs as fit in
    /// this many seconds (estimated from its epochs in the search); null: no final training.
    /// </summary>
    public double? FinalTrainingSeconds { get; init; }

    /// <summary>Decoder threads for building the decoded cache (null: every core).</summary>
    public int? CacheThreads { get; init; }

    public SearchBudget Budget => new(WallTimeSeconds is { } s ? TimeSpan.FromSeconds(s) : null, MaxTrials, MaxEpochs);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a plan written by <see cref="ToJson"/>; anything else is an <see cref="ArgumentException"/> naming the text.</summary>
    public static SearchPlan FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var plan = JsonSerializer.Deserialize<SearchPlan>(json, Json) ?? throw new JsonException("null");
            plan.Validate();
            return plan;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"the experiment's budget JSON {json} is not an AutoNet search plan: {e.Message}", nameof(json), e);
        }
    }

    public void Validate()
    {
        Budget.Validate();
        if (Resolution is < 8 or > 1024)
        {
            throw new ArgumentException($"search plan resolution {Resolution}: expected 8 to 1024 pixels");
        }

        if (SearchTrainImages is < 1)
        {
            throw new ArgumentException($"search plan SearchTrainImages = {SearchTrainImages}: expected at least 1 image");
        }

        if (FinalTrainingSeconds is { } final && !(final > 0))
        {
            throw new ArgumentException($"search plan FinalTrainingSeconds = {final}: expected a positive duration");
        }
    }
}
