using AutoNet.Models.Transfer;

namespace AutoNet.Search.Spaces;

/// <summary>
/// What a transfer space's sample asks for: the backbone (null when the space chooses none, because the caller
/// brings a trained network), the head on top of it, and the fraction of the backbone's stages kept frozen while
/// fine-tuning. The weights are the trial's business, not the sample's.
/// </summary>
public sealed record TransferSettings(string? Backbone, TransferHead Head, double FreezeFraction);
