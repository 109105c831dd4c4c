using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Data.Augmentation;

using Torch = AutoNet.Torch.Torch;

/// <summary>Test-time augmentation for evaluation.</summary>
public static class TestTimeAugmentation
{
    /// <summary>
    /// Runs <paramref name="forward"/> on <paramref name="images"/> [B, C, H, W] and on their left-right mirror and
    /// returns the average of the two outputs [B, classes]: of the softmax probabilities (default) or of the logits.
    /// Call it under <see cref="Torch.NoGrad"/> with the model in eval mode; only use it where flipping is valid.
    /// </summary>
    public static Tensor FlipAverage(Func<Tensor, Tensor> forward, Tensor images, TestTimeAugmentationAverage average = TestTimeAugmentationAverage.Probabilities)
    {
        ArgumentNullException.ThrowIfNull(forward);
        BatchAugmentations.CheckImages(images, nameof(images));
        using var scope = Torch.NewDisposeScope();
        var plain = forward(images);
        var mirrored = images.Flip(3);
        if (images.IsContiguous(MemoryFormat.ChannelsLast) && !images.IsContiguous())
        {
            mirrored = mirrored.Contiguous(MemoryFormat.ChannelsLast);
        }

        var flipped = forward(mirrored);
        if (plain.Dim != 2 || !plain.Shape.SequenceEqual(flipped.Shape))
        {
            throw new InvalidOperationException($"test-time flip expects the model to return [B, classes] for both views, got [{string.Join(", ", plain.Shape)}] and [{string.Join(", ", flipped.Shape)}]");
        }

        if (average == TestTimeAugmentationAverage.Probabilities)
        {
            plain = Functional.Softmax(plain, 1);
            flipped = Functional.Softmax(flipped, 1);
        }

        return ((plain + flipped) * 0.5).MoveToOuterDisposeScope();
    }
}
