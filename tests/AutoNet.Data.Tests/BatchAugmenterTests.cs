using AutoNet.Data.Augmentation;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

// In the live-tensor collection: not to count, but so their tensors never move another test's count.
[Collection(LoaderLiveTensorCollection.Name)]
public sealed class BatchAugmenterTests
{
    private static readonly double[] Zero = [0.0];
    private static readonly double[] One = [1.0];

    [Fact]
    public void The_same_seed_gives_identical_batches_and_another_seed_differs()
    {
        var options = AugmentationOptions.Strong(horizontalFlip: true) with { MixupAlpha = 0.4, ErasingProbability = 0.5, RandomResizedCrop = true };
        var augmenter = new BatchAugmenter(options, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]);
        using var images = RandomImages(16, 3, 12, 12, seed: 1);
        using var labels = torch.arange(16);

        using var a = augmenter.Augment(images, labels, 42);
        using var b = augmenter.Augment(images, labels, 42);
        using var c = augmenter.Augment(images, labels, 43);

        Assert.True(a.Images.Equals(b.Images));
        Assert.Equal(a.MixLambda, b.MixLambda);
        Assert.False(a.Images.Equals(c.Images));
        Assert.Equal(ScalarType.Float32, a.Images.dtype);
        Assert.Equal(images.shape, a.Images.shape);
    }

    [Fact]
    public void Switching_one_op_on_does_not_move_another_ops_random_draws()
    {
        // On constant images a flip is invisible, so the outputs agree only if the cutout boxes do.
        var cutout = new AugmentationOptions { CutoutProbability = 0.7, CutoutSize = 0.25 };
        using var images = torch.full([16, 1, 8, 8], 200, dtype: ScalarType.Byte);
        using var labels = torch.zeros([16], dtype: ScalarType.Int64);
        using var alone = new BatchAugmenter(cutout, Zero, One).Augment(images, labels, 5);
        using var withFlip = new BatchAugmenter(cutout with { HorizontalFlip = true }, Zero, One).Augment(images, labels, 5);
        using var otherSeed = new BatchAugmenter(cutout, Zero, One).Augment(images, labels, 6);
        Assert.True(alone.Images.Equals(withFlip.Images));
        Assert.False(alone.Images.Equals(otherSeed.Images));
    }

    [Fact]
    public void Mixup_weights_each_pixel_by_lambda_between_the_two_labelled_samples()
    {
        // Sample i is filled with the value i everywhere, so a mixed pixel reveals both samples and the weight.
        var augmenter = new BatchAugmenter(new AugmentationOptions { MixupAlpha = 0.4 }, Zero, One);
        using var images = ConstantImages(8, 4, 4);
        using var labels = torch.arange(8);
        for (ulong seed = 0; seed < 5; seed++)
        {
            using var batch = augmenter.Augment(images, labels, seed);
            Assert.True(batch.IsMixed);
            var a = batch.Labels.data<long>().ToArray();
            var b = batch.MixedLabels!.data<long>().ToArray();
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), b.Order());
            var pixels = batch.Images.data<float>().ToArray();
            for (var i = 0; i < 8; i++)
            {
                var expected = ((batch.MixLambda * a[i]) + ((1 - batch.MixLambda) * b[i])) / 255.0;
                Assert.All(pixels.Skip(i * 16).Take(16), p => Assert.Equal(expected, p, 1e-5));
            }
        }
    }

    [Fact]
    public void CutMix_lambda_is_the_fraction_of_pixels_kept_from_the_sample_itself()
    {
        var augmenter = new BatchAugmenter(new AugmentationOptions { CutMixAlpha = 1.0 }, Zero, One);
        using var images = ConstantImages(8, 16, 16);
        using var labels = torch.arange(8);
        for (ulong seed = 0; seed < 5; seed++)
        {
            using var batch = augmenter.Augment(images, labels, seed);
            var a = batch.Labels.data<long>().ToArray();
            var b = batch.MixedLabels!.data<long>().ToArray();
            var pixels = batch.Images.data<float>().ToArray();
            for (var i = 0; i < 8; i++)
            {
                if (a[i] == b[i])
                {
                    continue;
                }

                var kept = pixels.Skip(i * 256).Take(256).Count(p => Math.Abs((p * 255) - a[i]) < 1e-3);
                var pasted = pixels.Skip(i * 256).Take(256).Count(p => Math.Abs((p * 255) - b[i]) < 1e-3);
                Assert.Equal(256, kept + pasted);
                Assert.Equal(batch.MixLambda, kept / 256.0, 1e-9);
            }
        }
    }

    [Fact]
    public void Cutout_erases_one_clipped_square_of_at_most_the_configured_side_per_sample()
    {
        var augmenter = new BatchAugmenter(new AugmentationOptions { CutoutProbability = 1, CutoutSize = 0.5 }, Zero, One);
        using var images = torch.full([64, 1, 16, 16], 255, dtype: ScalarType.Byte);
        using var labels = torch.zeros([64], dtype: ScalarType.Int64);
        using var batch = augmenter.Augment(images, labels, 9);
        var pixels = batch.Images.data<float>().ToArray();
        var areas = new List<int>();
        for (var i = 0; i < 64; i++)
        {
            var zero = Enumerable.Range(0, 256).Where(p => pixels[(i * 256) + p] == 0).ToArray();
            var rows = zero.Select(p => p / 16).Distinct().Count();
            var cols = zero.Select(p => p % 16).Distinct().Count();
            Assert.Equal(rows * cols, zero.Length);
            Assert.InRange(rows, 1, 8);
            Assert.InRange(cols, 1, 8);
            areas.Add(zero.Length);
        }

        Assert.Contains(64, areas);
        Assert.Contains(areas, a => a < 64);
    }

    [Fact]
    public void No_augmentation_is_normalisation_alone()
    {
        var augmenter = new BatchAugmenter(AugmentationOptions.None, [0.5], [0.25]);
        using var images = RandomImages(4, 1, 6, 6, seed: 3);
        using var labels = torch.arange(4);
        using var batch = augmenter.Augment(images, labels, 1);
        using var expected = BatchAugmentations.Normalize(images, [0.5], [0.25]);
        Assert.True(batch.Images.Equals(expected));
        Assert.True(batch.Labels.Equals(labels));
        Assert.False(batch.IsMixed);
    }

    [Fact]
    public void Resized_crop_boxes_follow_the_scale_and_ratio_ranges()
    {
        var random = new AugmentRandom(1);
        for (var i = 0; i < 500; i++)
        {
            var box = BatchAugmenter.SampleResizedCropBox(random, 32, 32, (0.08, 1.0), (0.75, 4.0 / 3.0));
            Assert.InRange(box.Top, 0, 32 - box.Height);
            Assert.InRange(box.Left, 0, 32 - box.Width);
            Assert.InRange(box.Area / 1024.0, 0.06, 1.0);
            Assert.InRange((double)box.Width / box.Height, 0.6, 1.7);
        }

        // An impossible ratio falls back to torchvision's centre crop.
        var fallback = BatchAugmenter.SampleResizedCropBox(random, 10, 40, (0.9, 1.0), (1.0, 1.0));
        Assert.Equal(new AugmentBox(0, 15, 10, 10), fallback);
    }

    [Fact]
    public void Erasing_boxes_fit_strictly_inside_the_image()
    {
        var random = new AugmentRandom(2);
        for (var i = 0; i < 500; i++)
        {
            var box = BatchAugmenter.SampleErasingBox(random, 20, 30, (0.02, 0.33), (0.3, 3.3));
            if (!box.IsEmpty)
            {
                Assert.True(box.Height < 20 && box.Width < 30 && box.Bottom <= 20 && box.Right <= 30);
                Assert.InRange(box.Area / 600.0, 0.01, 0.36);
            }
        }
    }

    [Fact]
    public void Strength_runs_from_normalisation_only_to_cutout_and_cutmix_and_never_turns_flip_on_by_itself()
    {
        Assert.True(AugmentationOptions.ForStrength(0, horizontalFlip: true).IsIdentity);
        var standard = AugmentationOptions.Standard(horizontalFlip: false);
        Assert.Equal(0.125, standard.CropPadding);
        Assert.False(standard.HorizontalFlip);
        Assert.Equal(0, standard.CutoutProbability);
        var strong = AugmentationOptions.Strong(horizontalFlip: true);
        Assert.True(strong.HorizontalFlip);
        Assert.Equal(1, strong.CutoutProbability);
        Assert.Equal(1, strong.CutMixAlpha);
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationOptions.ForStrength(1.5, false));
    }

    [Fact]
    public void Bad_options_and_statistics_are_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchAugmenter(new AugmentationOptions { CutoutProbability = 2 }, Zero, One));
        Assert.Contains(nameof(AugmentationOptions.CutoutProbability), error.Message);
        error = Assert.Throws<ArgumentException>(() => new BatchAugmenter(new AugmentationOptions { ResizedCropScale = (0.5, 0.1) }, Zero, One));
        Assert.Contains(nameof(AugmentationOptions.ResizedCropScale), error.Message);
        Assert.Throws<ArgumentException>(() => new BatchAugmenter(AugmentationOptions.None, [0.5], [0.0]));
        var augmenter = new BatchAugmenter(AugmentationOptions.None, [0.5, 0.5], [0.2, 0.2]);
        using var images = torch.zeros([2, 3, 4, 4], dtype: ScalarType.Byte);
        using var labels = torch.zeros([2], dtype: ScalarType.Int64);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => augmenter.Augment(images, labels, 0)).Message);
    }

    internal static Tensor RandomImages(int batch, int channels, int height, int width, ulong seed)
    {
        var random = new AugmentRandom(seed);
        var pixels = new byte[batch * channels * height * width];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.NextInt(256);
        }

        return torch.tensor(pixels, [batch, channels, height, width]);
    }

    private static Tensor ConstantImages(int batch, int height, int width)
    {
        var pixels = new byte[batch * height * width];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i / (height * width));
        }

        return torch.tensor(pixels, [batch, 1, height, width]);
    }
}
