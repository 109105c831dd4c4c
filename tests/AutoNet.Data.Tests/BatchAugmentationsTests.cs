using AutoNet.Data.Augmentation;
using AutoNet.Data.Loading;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

/// <summary>Each op against torchvision / PyTorch on the same input and parameters (BatchAugmentationsReference).</summary>
// In the live-tensor collection so these tensors never move another test's count.
[Collection(LoaderLiveTensorCollection.Name)]
public sealed class BatchAugmentationsTests(BatchAugmentationsReference reference) : IClassFixture<BatchAugmentationsReference>
{
    [Fact]
    public void HorizontalFlip_equals_torch_flip_on_the_chosen_samples_only()
    {
        using var actual = BatchAugmentations.HorizontalFlip(reference.Images, reference.Flip);
        Assert.True(actual.Equals(reference.Expected("flip")));
    }

    [Fact]
    public void PadCrop_equals_torchvision_pad_then_crop_at_each_offset()
    {
        using var actual = BatchAugmentations.PadCrop(reference.Images, BatchAugmentationsReference.Padding, reference.Offsets);
        Assert.True(actual.Equals(reference.Expected("pad_crop")));
    }

    [Fact]
    public void PadCrop_places_a_pixel_where_the_offset_says_and_zero_fills_the_border()
    {
        using var image = torch.zeros([1, 1, 4, 4], dtype: ScalarType.Byte);
        using var one = image.select(0, 0).select(0, 0).select(0, 0).select(0, 3);
        one.fill_(7);

        // Padding 2, crop from (0, 4) of the padded 8 x 8: the pixel at (0, 3) moves down 2 and left 2.
        using var moved = BatchAugmentations.PadCrop(image, 2, [(0, 4)]);

        var pixels = moved.data<byte>().ToArray();
        Assert.Equal(7, pixels[(2 * 4) + 1]);
        Assert.Equal(1, pixels.Count(p => p != 0));
    }

    [Fact]
    public void ResizedCrop_equals_torchvision_resized_crop_with_bilinear_interpolation()
    {
        using var actual = BatchAugmentations.ResizedCrop(reference.Images, reference.ResizedBoxes);
        Assert.True(BatchAugmentationsReference.MaxDifference(actual, reference.Expected("resized_crop")) < 1e-3);
    }

    [Fact]
    public void Normalize_equals_torchvision_Normalize_after_ToTensor()
    {
        using var actual = BatchAugmentations.Normalize(reference.Images, reference.Mean, reference.Std);
        Assert.True(BatchAugmentationsReference.MaxDifference(actual, reference.Expected("normalize")) < 1e-5);
    }

    [Fact]
    public void Erase_equals_torchvision_erase_and_an_empty_box_leaves_the_sample_alone()
    {
        using var normalized = BatchAugmentations.Normalize(reference.Images, reference.Mean, reference.Std);
        using var actual = BatchAugmentations.Erase(normalized, reference.EraseBoxes);
        Assert.True(BatchAugmentationsReference.MaxDifference(actual, reference.Expected("erase")) < 1e-5);
        using var untouched = actual.select(0, 1);
        using var original = normalized.select(0, 1);
        Assert.True(untouched.Equals(original));
    }

    [Fact]
    public void Mixup_and_CutMix_equal_the_formulas_on_the_permuted_batch()
    {
        using var normalized = BatchAugmentations.Normalize(reference.Images, reference.Mean, reference.Std);
        using var mixup = BatchAugmentations.Mixup(normalized, reference.Permutation, reference.Lambda);
        using var cutmix = BatchAugmentations.CutMix(normalized, reference.Permutation, reference.CutMixBox);
        Assert.True(BatchAugmentationsReference.MaxDifference(mixup, reference.Expected("mixup")) < 1e-5);
        Assert.True(BatchAugmentationsReference.MaxDifference(cutmix, reference.Expected("cutmix")) < 1e-6);
    }

    [Fact]
    public void Mixed_cross_entropy_equals_PyTorch_cross_entropy_against_the_soft_targets()
    {
        using var batch = new Batch(reference.Images.alias(), reference.LabelsA.alias(), reference.LabelsB.alias(), reference.Lambda);
        using var loss = batch.CrossEntropy(reference.Logits);
        using var smoothed = batch.CrossEntropy(reference.Logits, labelSmoothing: 0.1);
        using var soft = batch.SoftTargets(BatchAugmentationsReference.Classes);
        Assert.True(BatchAugmentationsReference.MaxDifference(loss, reference.Expected("mixed_ce")) < 1e-5);
        Assert.True(BatchAugmentationsReference.MaxDifference(smoothed, reference.Expected("mixed_ce_smoothed")) < 1e-5);
        Assert.True(BatchAugmentationsReference.MaxDifference(soft, reference.Expected("soft_targets")) < 1e-7);
    }

    [Fact]
    public void An_unmixed_batch_trains_on_plain_cross_entropy()
    {
        using var batch = new Batch(reference.Images.alias(), reference.LabelsA.alias());
        using var loss = batch.CrossEntropy(reference.Logits);
        using var plain = nn.functional.cross_entropy(reference.Logits, reference.LabelsA);
        Assert.False(batch.IsMixed);
        Assert.Equal(1.0, batch.MixLambda);
        Assert.True(loss.Equals(plain));
    }

    [Theory]
    [InlineData(TestTimeAugmentationAverage.Probabilities, "tta_probabilities")]
    [InlineData(TestTimeAugmentationAverage.Logits, "tta_logits")]
    public void FlipAverage_equals_the_mean_over_the_image_and_its_mirror(TestTimeAugmentationAverage average, string name)
    {
        using var normalized = BatchAugmentations.Normalize(reference.Images, reference.Mean, reference.Std);
        var calls = 0;
        using var actual = TestTimeAugmentation.FlipAverage(
            x =>
            {
                calls++;
                return x.flatten(1).matmul(reference.TtaWeight);
            },
            normalized,
            average);
        Assert.Equal(2, calls);
        Assert.True(BatchAugmentationsReference.MaxDifference(actual, reference.Expected(name)) < 1e-5);
    }

    [Fact]
    public void Ops_refuse_parameters_that_do_not_fit_the_batch()
    {
        Assert.Throws<ArgumentException>(() => BatchAugmentations.HorizontalFlip(reference.Images, [true]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchAugmentations.PadCrop(reference.Images, 1, Enumerable.Repeat((3, 0), 6).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchAugmentations.ResizedCrop(reference.Images, Enumerable.Repeat(new AugmentBox(5, 0, 6, 2), 6).ToArray()));
        Assert.Throws<ArgumentException>(() => BatchAugmentations.Mixup(reference.Images, [0, 0, 1, 2, 3, 4], 0.5));
        var error = Assert.Throws<ArgumentException>(() => BatchAugmentations.Normalize(reference.Images, [0.5], [0.5]));
        Assert.Contains("3", error.Message);
        using var flat = torch.zeros([6, 120]);
        Assert.Throws<ArgumentException>(() => BatchAugmentations.HorizontalFlip(flat, reference.Flip));
    }
}
