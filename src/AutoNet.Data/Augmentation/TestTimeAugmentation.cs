using AutoNet.Data.Loading;
using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Augmentation;

/// <summary>Test-time augmentation for evaluation.</summary>
public static class TestTimeAugmentation
{
    /// <summary>
    /// Runs <paramref name="forward"/> on <paramref name="images"/> [B, C, H, W] and on their left-right mirror and
    /// returns the average of the two outputs [B, classes]: of the softmax probabilities (default) or of the logits.
    /// Call it under <c>torch.no_grad()</c> with the model in eval mode; only use it where flipping is valid.
    /// </summary>
    public static Tensor FlipAverage(Func<Tensor, Tensor> forward, Tensor images, TestTimeAugmentationAverage average = TestTimeAugmentationAverage.Probabilities)
    {
        ArgumentNullException.ThrowIfNull(forward);
        BatchAugmentations.CheckImages(images, nameof(images));
        using var scope = torch.NewDisposeScope();
        var plain = forward(images);
        var mirrored = images.flip(3);
        if (ChannelsLast.IsChannelsLast(images) && !images.is_contiguous())
        {
            mirrored = ChannelsLast.ToChannelsLast(mirrored);
        }

        var flipped = forward(mirrored);
        if (plain.dim() != 2 || !plain.shape.SequenceEqual(flipped.shape))
        {
            throw new InvalidOperationException($"test-time flip expects the model to return [B, classes] for both views, got [{string.Join(", ", plain.shape)}] and [{string.Join(", ", flipped.shape)}]");
        }

        if (average == TestTimeAugmentationAverage.Probabilities)
        {
            plain = nn.functional.softmax(plain, 1);
            flipped = nn.functional.softmax(flipped, 1);
        }

        return plain.Plus(flipped).Times(0.5).MoveToOuterDisposeScope();
    }
}
