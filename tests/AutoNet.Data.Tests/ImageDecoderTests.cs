using AutoNet.Data.Decoding;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Torch.Tests.Reference;
using Xunit.Abstractions;

namespace AutoNet.Data.Tests;

[Collection(LoaderLiveTensorCollection.Name)]
public sealed class ImageDecoderTests : IClassFixture<ImageCorpus>
{
    private readonly ImageCorpus corpus;
    private readonly ITestOutputHelper output;

    public ImageDecoderTests(ImageCorpus corpus, ITestOutputHelper output)
    {
        this.corpus = corpus;
        this.output = output;
    }

    [PillowFact]
    public void Png_files_in_every_mode_decode_to_exactly_the_pixels_pillow_gives()
    {
        var pngs = corpus.Cases.Where(c => FormatOf(c) == ImageFormat.Png).ToList();
        Assert.Equal(17, pngs.Count);
        var mismatches = new List<string>();
        foreach (var image in pngs)
        {
            var difference = MaxDifference(image, ImageDecoder.Default);
            if (difference != 0)
            {
                mismatches.Add($"{image.Name}: {difference}");
            }
        }

        Assert.Empty(mismatches);
    }

    [PillowFact]
    public void Jpeg_files_of_every_kind_decode_within_two_of_pillow()
    {
        var jpegs = corpus.Cases.Where(c => FormatOf(c) == ImageFormat.Jpeg).ToList();
        Assert.Equal(19, jpegs.Count);
        var worst = 0;
        var mismatches = new List<string>();
        foreach (var image in jpegs)
        {
            var difference = MaxDifference(image, ImageDecoder.Default);
            output.WriteLine($"{image.Name}: max |AutoNet - Pillow| = {difference}");
            worst = Math.Max(worst, difference);
            if (difference > 2)
            {
                mismatches.Add($"{image.Name}: {difference}");
            }
        }

        output.WriteLine($"max JPEG difference over {jpegs.Count} files: {worst}");
        Assert.Empty(mismatches);
    }

    [PillowTheory]
    [InlineData("photo_china.jpg")]
    [InlineData("photo_flower.jpg")]
    public void Real_photos_decode_within_two_of_pillow(string name)
    {
        var image = corpus.Case(name);
        var difference = MaxDifference(image, ImageDecoder.Default);
        output.WriteLine($"{name}: max |AutoNet - Pillow| = {difference}");
        Assert.InRange(difference, 0, 2);
    }

    [PillowFact]
    public void Webp_gif_and_bmp_files_decode_to_the_pixels_pillow_gives()
    {
        var others = corpus.Cases.Where(c => FormatOf(c) is ImageFormat.WebP or ImageFormat.Gif or ImageFormat.Bmp).ToList();
        Assert.Equal(9, others.Count);
        var mismatches = new List<string>();
        foreach (var image in others)
        {
            var difference = MaxDifference(image, ImageDecoder.Default);
            output.WriteLine($"{image.Name}: max |AutoNet - Pillow| = {difference}");
            // Lossy WebP goes through libwebp on both sides; allow JPEG's tolerance there, exact everywhere else.
            if (difference > (image.Name.Contains("lossy", StringComparison.Ordinal) ? 2 : 0))
            {
                mismatches.Add($"{image.Name}: {difference}");
            }
        }

        Assert.Empty(mismatches);
    }

    [PillowFact]
    public void Decoding_to_managed_pixels_gives_the_bytes_of_the_tensor()
    {
        foreach (var name in new[] { "rgb8.png", "la8.png", "orientation_6.jpg", "alpha_lossless.webp" })
        {
            var file = corpus.Case(name).File;
            var pixels = ImageDecoder.Default.DecodePixelsFile(file);
            using var tensor = ImageDecoder.Default.DecodeFile(file);
            Assert.Equal(new long[] { pixels.Height, pixels.Width, pixels.Channels }, tensor.shape);
            Assert.Equal(tensor.data<byte>().ToArray(), pixels.Pixels);
        }
    }

    [PillowFact]
    public void Exif_orientation_is_applied_and_can_be_ignored()
    {
        var ignoring = new ImageDecoder { ApplyExifOrientation = false };
        using var scope = torch.NewDisposeScope();
        var upright = ignoring.DecodeFile(corpus.Case("orientation_1.jpg").File);
        for (var orientation = 2; orientation <= 8; orientation++)
        {
            var file = corpus.Case($"orientation_{orientation}.jpg").File;
            var stored = ignoring.DecodeFile(file);
            Assert.Equal(upright.shape, stored.shape);
            var oriented = ImageDecoder.Default.DecodeFile(file);
            var transposed = orientation >= 5;
            Assert.Equal(transposed ? new long[] { 61, 45, 3 } : new long[] { 45, 61, 3 }, oriented.shape);
            if (!transposed)
            {
                // Same shape, so the pixels must have moved: the orientation was not silently dropped.
                Assert.NotEqual(stored.data<byte>().ToArray(), oriented.data<byte>().ToArray());
            }

            var info = ImageDecoder.Default.ReadInfoFile(file);
            Assert.Equal(orientation, info.Orientation);
            Assert.Equal(transposed ? (45, 61) : (61, 45), (info.Width, info.Height));
            Assert.Equal((61, 45), (ignoring.ReadInfoFile(file).Width, ignoring.ReadInfoFile(file).Height));
        }
    }

    [PillowFact]
    public void ReadInfo_gives_pillows_size_and_the_decoded_channel_count_for_every_file()
    {
        Assert.Equal(45, corpus.Cases.Count);
        foreach (var image in corpus.Cases)
        {
            var info = ImageDecoder.Default.ReadInfoFile(image.File);
            Assert.True(image.Info.SequenceEqual(new[] { info.Width, info.Height, info.Channels }),
                $"{image.Name}: info {info} but Pillow gives [{string.Join(", ", image.Info)}]");
            Assert.Equal(FormatOf(image), info.Format);
        }
    }

    [PillowFact]
    public void Bad_files_raise_ImageDecodeException_naming_the_file_and_the_reason()
    {
        Assert.Equal(20, corpus.Bad.Count);
        var before = TorchEngine.CountLiveTensors();
        var problems = new List<string>();
        foreach (var bad in corpus.Bad)
        {
            try
            {
                using var decoded = ImageDecoder.Default.DecodeFile(bad.File);
                problems.Add($"{bad.Name}: decoded to [{string.Join(", ", decoded.shape)}] instead of failing");
            }
            catch (ImageDecodeException e)
            {
                output.WriteLine($"{bad.Name}: {e.Reason}: {e.Message}");
                if (e.SourceName != bad.File || !e.Message.Contains(bad.File, StringComparison.Ordinal))
                {
                    problems.Add($"{bad.Name}: the error does not name the file: {e.Message}");
                }

                if (!bad.Reasons.Contains(e.Reason))
                {
                    problems.Add($"{bad.Name}: reason {e.Reason}, expected {string.Join(" or ", bad.Reasons)}: {e.Message}");
                }
            }
        }

        Assert.Empty(problems);
        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }

    [PillowFact]
    public void A_limit_on_pixels_refuses_a_real_photo_that_is_above_it()
    {
        var strict = new ImageDecoder { MaxPixels = 640 * 427 - 1 };
        var china = corpus.Case("photo_china.jpg").File;
        var error = Assert.Throws<ImageDecodeException>(() => strict.DecodeFile(china));
        Assert.Equal(ImageDecodeFailure.TooLarge, error.Reason);
        Assert.Contains("273280 pixels", error.Message, StringComparison.Ordinal);
        using var decoded = new ImageDecoder { MaxPixels = 640 * 427 }.DecodeFile(china);
        Assert.Equal(new long[] { 427, 640, 3 }, decoded.shape);
    }

    [PillowFact]
    public void ReadInfo_reports_a_bombs_claimed_size_without_decoding_it()
    {
        var bomb = corpus.Bad.Single(b => b.Name == "bomb.png").File;
        var info = ImageDecoder.Default.ReadInfoFile(bomb);
        Assert.Equal((40000, 40000, 3, ImageFormat.Png), (info.Width, info.Height, info.Channels, info.Format));
        var gif = ImageDecoder.Default.ReadInfoFile(corpus.Bad.Single(b => b.Name == "bomb.gif").File);
        Assert.Equal((40000, 40000, ImageFormat.Gif), (gif.Width, gif.Height, gif.Format));
    }

    [PillowFact]
    public void Bombs_of_every_format_are_refused_before_their_pixels_are_allocated()
    {
        // A 1.6-gigapixel RGBA buffer is 6.4 GB: had any been allocated, this would fail or take far longer.
        foreach (var name in new[] { "bomb.png", "bomb.jpg", "bomb.gif", "bomb.bmp", "bomb.webp" })
        {
            var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.DecodePixelsFile(corpus.Bad.Single(b => b.Name == name).File));
            Assert.Equal(ImageDecodeFailure.TooLarge, error.Reason);
            Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
        }
    }

    [PillowFact]
    public void A_jpeg_whose_scan_is_cut_or_broken_by_a_stray_marker_is_refused_though_skia_pads_it()
    {
        var jpeg = File.ReadAllBytes(corpus.Case("progressive.jpg").File);
        // Without its end-of-image marker: every scan is there, but the file is still cut.
        var cut = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.DecodePixels(jpeg.AsSpan(0, jpeg.Length - 2), "cut.jpg"));
        Assert.Equal(ImageDecodeFailure.Truncated, cut.Reason);
        // A baseline JPEG has one scan, from its SOS marker to the end: halfway along lies entropy-coded data.
        var baseline = File.ReadAllBytes(corpus.Case("baseline_420.jpg").File);
        var broken = (byte[])baseline.Clone();
        var middle = (baseline.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]) + baseline.Length) / 2;
        broken[middle] = 0xFF;
        broken[middle + 1] = 0x02;
        var stray = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.DecodePixels(broken, "stray.jpg"));
        Assert.Equal(ImageDecodeFailure.Corrupt, stray.Reason);
        Assert.Contains("0xFF02", stray.Message, StringComparison.Ordinal);
    }

    [PillowFact]
    public void Decoding_a_buffer_names_the_source_the_caller_gave()
    {
        var text = "name,label\ncat.jpg,0\n"u8.ToArray();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.Decode(text, "manifest.csv#row3"));
        Assert.Equal(ImageDecodeFailure.NotAnImage, error.Reason);
        Assert.Contains("manifest.csv#row3", error.Message, StringComparison.Ordinal);
        var png = File.ReadAllBytes(corpus.Case("rgba8.png").File);
        var truncated = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.Decode(png.AsSpan(0, png.Length - 30), "memory.png"));
        Assert.Equal(ImageDecodeFailure.Truncated, truncated.Reason);
        Assert.Contains("memory.png", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_unreadable_with_its_path()
    {
        var path = Path.Combine(corpus.Directory, "no-such-image.png");
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Default.DecodeFile(path));
        Assert.Equal(ImageDecodeFailure.Unreadable, error.Reason);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [PillowFact]
    public void Format_is_sniffed_from_the_bytes_not_the_extension()
    {
        Assert.Equal(ImageFormat.Png, ImageSignature.Sniff(File.ReadAllBytes(corpus.Case("png_named.jpg").File)));
        Assert.Equal(ImageFormat.Bmp, ImageSignature.Sniff(File.ReadAllBytes(corpus.Case("bitmap_named.png").File)));
        Assert.Equal(ImageFormat.Gif, ImageSignature.Sniff(File.ReadAllBytes(corpus.Case("animation.gif").File)));
        Assert.Equal(ImageFormat.WebP, ImageSignature.Sniff(File.ReadAllBytes(corpus.Case("lossy.webp").File)));
        Assert.Equal(ImageFormat.Tiff, ImageSignature.Sniff(File.ReadAllBytes(corpus.Bad.Single(b => b.Name == "scan.tiff").File)));
        Assert.Equal(ImageFormat.Unknown, ImageSignature.Sniff(File.ReadAllBytes(corpus.Bad.Single(b => b.Name == "notes.jpg").File)));
        Assert.True(ImageDecoder.CodecsAvailable);
    }

    [PillowFact]
    public void Decoding_on_many_threads_at_once_gives_each_its_own_pixels_and_errors()
    {
        var good = corpus.Case("photo_flower.jpg").File;
        var bad = corpus.Bad.Single(b => b.Name == "truncated.png").File;
        byte[] expected;
        using (var reference = ImageDecoder.Default.DecodeFile(good))
        {
            expected = reference.data<byte>().ToArray();
        }

        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0)
            {
                using var decoded = ImageDecoder.Default.DecodeFile(good);
                if (!decoded.data<byte>().ToArray().AsSpan().SequenceEqual(expected))
                {
                    problems.Add($"run {i}: different pixels");
                }

                return;
            }

            var error = Record.Exception(() => ImageDecoder.Default.DecodeFile(bad));
            if (error is not ImageDecodeException { Reason: ImageDecodeFailure.Truncated } decodeError || decodeError.SourceName != bad)
            {
                problems.Add($"run {i}: {error}");
            }
        });
        Assert.Empty(problems);
    }

    /// <summary>The format a case's bytes carry: by its extension, except the two named for another format.</summary>
    private static ImageFormat FormatOf(ImageCase image) => image.Name switch
    {
        "png_named.jpg" => ImageFormat.Png,
        "bitmap_named.png" => ImageFormat.Bmp,
        _ => Path.GetExtension(image.Name) switch
        {
            ".jpg" => ImageFormat.Jpeg,
            ".png" => ImageFormat.Png,
            ".webp" => ImageFormat.WebP,
            ".gif" => ImageFormat.Gif,
            _ => ImageFormat.Bmp,
        },
    };

    private static int MaxDifference(ImageCase image, ImageDecoder decoder)
    {
        using var scope = torch.NewDisposeScope();
        var expected = PythonReference.Decode(image.Expected);
        var actual = decoder.DecodeFile(image.File);
        Assert.Equal(ScalarType.Byte, actual.dtype);
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{image.Name}: shape [{string.Join(", ", actual.shape)}], Pillow [{string.Join(", ", expected.shape)}]");
        var a = actual.data<byte>().ToArray();
        var e = expected.data<byte>().ToArray();
        var worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - e[i]));
        }

        return worst;
    }
}
