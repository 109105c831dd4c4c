using System.Runtime.InteropServices;
using AutoNet.Torch;
using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Data.Decoding;

/// <summary>
/// Decodes JPEG and PNG images (libjpeg-turbo and libspng in the native library) to uint8 tensors shaped
/// [H, W, C]: grey → 1 channel, grey+alpha → 2, RGB (and CMYK JPEG, converted) → 3, RGBA → 4; 16-bit PNG
/// samples keep their high byte. The format comes from the data's signature, never from a file extension.
/// Every failure is an <see cref="ImageDecodeException"/> naming the source and the reason.
/// </summary>
public sealed class ImageDecoder
{
    /// <summary>The default limit on width × height: 100 megapixels.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>A decoder with the default settings.</summary>
    public static ImageDecoder Default { get; } = new();

    /// <summary>Images with more pixels than this are refused as possible decompression bombs (0 = no limit).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Whether a JPEG's EXIF orientation (1–8) is applied, as PIL.ImageOps.exif_transpose does.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>Whether the native library was built with the JPEG and PNG codecs.</summary>
    public static bool CodecsAvailable => ATNImage_has_codecs() != 0;

    public Tensor DecodeFile(string path) => Decode(ReadFile(path), path);

    /// <summary>Decodes an image held in memory; <paramref name="sourceName"/> names it in errors.</summary>
    public unsafe Tensor Decode(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        CheckSignature(data, sourceName);
        if (MaxPixels < 0)
        {
            throw new InvalidOperationException($"MaxPixels must be 0 (no limit) or positive, got {MaxPixels}");
        }

        int reason;
        IntPtr handle;
        fixed (byte* p = data)
        {
            handle = ATNImage_decode(p, data.Length, ApplyExifOrientation ? 1 : 0, MaxPixels, &reason);
        }

        if (handle == IntPtr.Zero)
        {
            throw Failure(sourceName, reason);
        }

        return new Tensor(handle);
    }

    public ImageInfo ReadInfoFile(string path) => ReadInfo(ReadFile(path), path);

    /// <summary>Reads an image's size, channels, format and orientation without decoding its pixels.</summary>
    public unsafe ImageInfo ReadInfo(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        CheckSignature(data, sourceName);
        int reason;
        int status;
        var values = stackalloc long[5];
        fixed (byte* p = data)
        {
            status = ATNImage_info(p, data.Length, ApplyExifOrientation ? 1 : 0, values, &reason);
        }

        if (status != 0)
        {
            throw Failure(sourceName, reason);
        }

        return new ImageInfo(checked((int)values[0]), checked((int)values[1]), (int)values[2], (ImageFormat)values[3], (int)values[4]);
    }

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

    private static void CheckSignature(ReadOnlySpan<byte> data, string sourceName)
    {
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Empty, "0 bytes");
        }

        var format = ImageSignature.Sniff(data);
        switch (format)
        {
            case ImageFormat.Jpeg or ImageFormat.Png:
                return;
            case ImageFormat.Unknown:
                throw new ImageDecodeException(sourceName, ImageDecodeFailure.NotAnImage,
                    $"no JPEG or PNG signature in its first bytes ({Hex(data)})");
            default:
                throw new ImageDecodeException(sourceName, ImageDecodeFailure.UnsupportedFormat,
                    $"{format} images are not supported; only JPEG and PNG are decoded");
        }
    }

    private static ImageDecodeException Failure(string sourceName, int reason)
    {
        var pointer = ATNRuntime_last_error();
        var detail = pointer == IntPtr.Zero ? "native decoder failed without a message" : Marshal.PtrToStringUTF8(pointer)!;
        ATNRuntime_clear_error();
        var failure = reason switch
        {
            1 => ImageDecodeFailure.NotAnImage,
            3 => ImageDecodeFailure.Truncated,
            4 => ImageDecodeFailure.TooLarge,
            6 => ImageDecodeFailure.CodecsUnavailable,
            _ => ImageDecodeFailure.Corrupt,
        };
        return new ImageDecodeException(sourceName, failure, detail.TrimEnd());
    }

    private static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexString(data[..Math.Min(8, data.Length)]);
}
