using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Decoding;

/// <summary>
/// Decodes JPEG, PNG, WebP, GIF (its first frame) and BMP through SkiaSharp to uint8 pixels shaped [H, W, C]:
/// grey → 1 channel, grey+alpha → 2, RGB (and CMYK JPEG, converted) → 3, RGBA → 4, with the channel counts and
/// pixels Pillow gives (16-bit PNG samples keep their high byte; palette images become RGB, or RGBA with
/// transparency; no colour management, as Pillow applies none). The format comes from the data's signature, never
/// from a file extension. Every failure is an <see cref="ImageDecodeException"/> naming the source and the reason.
/// </summary>
public sealed class ImageDecoder
{
    /// <summary>The default limit on width × height: 100 megapixels.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    private static readonly Lazy<bool> Loadable = new(ProbeNativeLibrary);

    /// <summary>A decoder with the default settings.</summary>
    public static ImageDecoder Default { get; } = new();

    /// <summary>Images with more pixels than this are refused as possible decompression bombs (0 = no limit).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Whether a JPEG's EXIF orientation (1–8) is applied, as PIL.ImageOps.exif_transpose does.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>Whether SkiaSharp's native library loads, so images can be decoded at all.</summary>
    public static bool CodecsAvailable => Loadable.Value;

    public Tensor DecodeFile(string path) => Decode(ReadFile(path), path);

    /// <summary>Decodes an image held in memory to a uint8 [H, W, C] tensor; <paramref name="sourceName"/> names it in errors.</summary>
    public Tensor Decode(ReadOnlySpan<byte> data, string sourceName)
    {
        var image = DecodePixels(data, sourceName);
        return torch.tensor(image.Pixels, [image.Height, image.Width, image.Channels]);
    }

    public DecodedImage DecodePixelsFile(string path) => DecodePixels(ReadFile(path), path);

    /// <summary>Decodes an image held in memory to [H, W, C] bytes; <paramref name="sourceName"/> names it in errors.</summary>
    public unsafe DecodedImage DecodePixels(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (MaxPixels < 0)
        {
            throw new InvalidOperationException($"MaxPixels must be 0 (no limit) or positive, got {MaxPixels}");
        }

        var format = CheckSignature(data, sourceName);
        if (format == ImageFormat.Jpeg && JpegStructure.FindDamage(data, out var damage) is { } detail)
        {
            throw new ImageDecodeException(sourceName, damage, detail);
        }

        fixed (byte* pointer = data)
        {
            using var codec = OpenCodec(pointer, data.Length, sourceName);
            var info = codec.Info;
            CheckSize(info.Width, info.Height, sourceName);
            var channels = Channels(codec, data, format, sourceName);
            var image = ReadPixels(codec, channels, sourceName);
            return ApplyExifOrientation ? ExifOrientation.Apply(image, Orientation(codec, format)) : image;
        }
    }

    public ImageInfo ReadInfoFile(string path) => ReadInfo(ReadFile(path), path);

    /// <summary>Reads an image's size, channels, format and orientation without decoding its pixels.</summary>
    public unsafe ImageInfo ReadInfo(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var format = CheckSignature(data, sourceName);
        if (format == ImageFormat.Png && PngHeader.Read(data) is { } png)
        {
            // The PNG header is a fixed record at a fixed place: read it without setting up libpng (the decoded
            // cache reads every image's header before it decodes any). A PNG carries no EXIF orientation here.
            return new ImageInfo(png.Width, png.Height, png.Channels, ImageFormat.Png, 1);
        }

        fixed (byte* pointer = data)
        {
            using var codec = OpenCodec(pointer, data.Length, sourceName);
            var (width, height) = (codec.Info.Width, codec.Info.Height);
            var orientation = Orientation(codec, format);
            if (ApplyExifOrientation && ExifOrientation.Transposes(orientation))
            {
                (width, height) = (height, width);
            }

            return new ImageInfo(width, height, Channels(codec, data, format, sourceName), format, orientation);
        }
    }

    /// <summary>The EXIF orientation (1–8) of a JPEG; 1 for other formats, whose pixels are taken as stored.</summary>
    private static int Orientation(SKCodec codec, ImageFormat format) =>
        format == ImageFormat.Jpeg && (int)codec.EncodedOrigin is var o && o is >= 1 and <= 8 ? o : 1;

    private static unsafe SKCodec OpenCodec(byte* pointer, int length, string sourceName)
    {
        SKCodec? codec;
        var result = SKCodecResult.Success;
        try
        {
            // SKData over the caller's bytes (no copy): the codec is disposed before they are unpinned. Only a
            // failure goes through a stream, the one overload that says why.
            using var data = SKData.Create((IntPtr)pointer, length);
            codec = SKCodec.Create(data);
            if (codec is null)
            {
                using var stream = new SKMemoryStream(data);
                SKCodec.Create(stream, out result)?.Dispose();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.CodecsUnavailable,
                $"SkiaSharp's native library (libSkiaSharp) could not be loaded: {e.Message}", e);
        }

        return codec ?? throw new ImageDecodeException(sourceName, Failure(result), $"unreadable header ({Describe(result)})");
    }

    private void CheckSize(int width, int height, string sourceName)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, $"invalid image size {width}x{height}");
        }

        var pixels = (long)width * height;
        if (MaxPixels > 0 && pixels > MaxPixels)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.TooLarge,
                $"image is {width}x{height} = {pixels} pixels, above the limit of {MaxPixels} (a possible decompression bomb)");
        }

        if (pixels * 4 > Array.MaxLength)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.TooLarge,
                $"image is {width}x{height} = {pixels} pixels, more than one buffer can hold");
        }
    }

    /// <summary>The channels the image decodes to: Pillow's mode for it, alpha only where the format carries it.</summary>
    private static int Channels(SKCodec codec, ReadOnlySpan<byte> data, ImageFormat format, string sourceName) => format switch
    {
        ImageFormat.Png => PngHeader.Channels(data)
            ?? throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, "invalid PNG header (IHDR)"),
        ImageFormat.Jpeg => codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3,
        _ => codec.Info.AlphaType == SKAlphaType.Opaque ? 3 : 4,
    };

    private static unsafe DecodedImage ReadPixels(SKCodec codec, int channels, string sourceName)
    {
        var info = codec.Info;
        var (width, height) = (info.Width, info.Height);
        var pixels = width * height;
        // Grey decodes straight to one byte a pixel; everything else to RGBA, unpremultiplied and without a colour
        // space (so no colour conversion), then narrowed to the channels kept.
        var grey = channels == 1 && info.ColorType == SKColorType.Gray8;
        var target = new SKImageInfo(width, height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var decoded = new byte[pixels * (grey ? 1 : 4)];
        SKCodecResult result;
        fixed (byte* p = decoded)
        {
            result = codec.GetPixels(target, (IntPtr)p, new SKCodecOptions(0));
        }

        if (result != SKCodecResult.Success)
        {
            throw new ImageDecodeException(sourceName, Failure(result), $"{codec.EncodedFormat} decode failed ({Describe(result)})");
        }

        if (grey || channels == 4)
        {
            return new DecodedImage(decoded, height, width, channels);
        }

        var narrowed = new byte[pixels * channels];
        Narrow(decoded, narrowed, pixels, channels);
        return new DecodedImage(narrowed, height, width, channels);
    }

    /// <summary>RGBA to RGB (alpha dropped), grey+alpha (R and A; R = G = B for a grey image) or grey (R).</summary>
    private static void Narrow(ReadOnlySpan<byte> rgba, Span<byte> target, int pixels, int channels)
    {
        switch (channels)
        {
            case 3:
                for (var i = 0; i < pixels; i++)
                {
                    target[3 * i] = rgba[4 * i];
                    target[(3 * i) + 1] = rgba[(4 * i) + 1];
                    target[(3 * i) + 2] = rgba[(4 * i) + 2];
                }

                break;
            case 2:
                for (var i = 0; i < pixels; i++)
                {
                    target[2 * i] = rgba[4 * i];
                    target[(2 * i) + 1] = rgba[(4 * i) + 3];
                }

                break;
            default:
                for (var i = 0; i < pixels; i++)
                {
                    target[i] = rgba[4 * i];
                }

                break;
        }
    }

    private static ImageDecodeFailure Failure(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => ImageDecodeFailure.Truncated,
        _ => ImageDecodeFailure.Corrupt,
    };

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the data is damaged",
        SKCodecResult.InvalidInput => "the data is not valid for its format",
        SKCodecResult.Unimplemented => "a variant of the format that is not supported",
        _ => $"Skia reported {result}",
    };

    private static byte[] ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Unreadable, e.Message, e);
        }
    }

    private static ImageFormat CheckSignature(ReadOnlySpan<byte> data, string sourceName)
    {
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Empty, "0 bytes");
        }

        var format = ImageSignature.Sniff(data);
        return format switch
        {
            ImageFormat.Jpeg or ImageFormat.Png or ImageFormat.WebP or ImageFormat.Gif or ImageFormat.Bmp => format,
            ImageFormat.Unknown => throw new ImageDecodeException(sourceName, ImageDecodeFailure.NotAnImage,
                $"no JPEG, PNG, WebP, GIF or BMP signature in its first bytes ({Hex(data)})"),
            _ => throw new ImageDecodeException(sourceName, ImageDecodeFailure.UnsupportedFormat,
                $"{format} images are not supported; JPEG, PNG, WebP, GIF and BMP are decoded"),
        };
    }

    private static bool ProbeNativeLibrary()
    {
        try
        {
            using var data = SKData.Create(1);
            return data is not null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            return false;
        }
    }

    private static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexString(data[..Math.Min(8, data.Length)]);
}
