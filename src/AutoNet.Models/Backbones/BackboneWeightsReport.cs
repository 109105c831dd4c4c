namespace AutoNet.Models.Backbones;

/// <summary>
/// What a weights load did: <see cref="Loaded"/> model keys were copied from the file; <see cref="Adapted"/> is the
/// stem convolution when it was converted to another number of input channels; <see cref="Skipped"/> are file keys
/// left unused (a classifier of another shape, or one excluded on purpose); <see cref="Kept"/> are model keys left
/// as they were (that classifier, or BatchNorm <c>num_batches_tracked</c> counters the file does not have).
/// </summary>
public sealed record BackboneWeightsReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Adapted,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Kept);
