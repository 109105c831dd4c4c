namespace AutoNet.Models.Transfer;

/// <summary>Which part of a <see cref="TransferNetwork"/> trains.</summary>
public enum TransferPhase
{
    /// <summary>Only the head; the whole feature extractor is frozen.</summary>
    HeadOnly,

    /// <summary>The head and the feature extractor's stages past its frozen fraction.</summary>
    FineTune,
}
