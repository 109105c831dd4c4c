namespace AutoNet.Data.Augmentation;

/// <summary>What <see cref="TestTimeAugmentation.FlipAverage"/> averages over an image and its mirror.</summary>
public enum TestTimeAugmentationAverage
{
    /// <summary>Softmax probabilities; the result is a probability distribution per sample.</summary>
    Probabilities = 0,

    /// <summary>Raw logits; the result can go on into a loss or an argmax.</summary>
    Logits = 1,
}
