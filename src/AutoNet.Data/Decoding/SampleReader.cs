using System.Security.Cryptography;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Decoding;

/// <summary>
/// Reads a listing's samples, thread-safely: a file per sample is read and decoded; an IDX item is sliced out of its
/// images file, which is loaded (and un-gzipped) once, when the reader is made. Decoding failures are
/// <see cref="ImageDecodeException"/>s naming the file.
/// </summary>
internal sealed class SampleReader
{
    private const int HeaderPrefix = 64 * 1024;

    private readonly Dictionary<string, IdxImages> idx = new(StringComparer.Ordinal);
    private readonly ImageDecoder decoder;

    // Each decoder thread reads its files into one growing buffer instead of a new array per file.
    [ThreadStatic]
    private static byte[]? buffer;

    public SampleReader(IEnumerable<LabelledSample> samples, ImageDecoder? decoder = null)
    {
        this.decoder = decoder ?? ImageDecoder.Default;
        foreach (var path in samples.Where(s => s.ItemIndex >= 0).Select(s => s.Path).Distinct(StringComparer.Ordinal))
        {
            idx[path] = IdxImages.Load(path);
        }
    }

    /// <summary>Decodes (or slices) the sample and transforms it into <paramref name="output"/>.</summary>
    public void Transform(LabelledSample sample, ImageTransform transform, Span<byte> output)
    {
        if (sample.ItemIndex >= 0)
        {
            var images = idx[sample.Path];
            transform.Apply(images.Item(sample.ItemIndex), images.Height, images.Width, images.Channels, output);
            return;
        }

        var length = ReadInto(sample.Path, ref buffer);
        var image = decoder.DecodePixels(buffer.AsSpan(0, length), sample.Path);
        transform.Apply(image.Pixels, image.Height, image.Width, image.Channels, output);
    }

    /// <summary>The sample's size and channels, from the header only (an IDX item's from its file's dimensions).</summary>
    public ImageInfo ReadInfo(LabelledSample sample)
    {
        if (sample.ItemIndex >= 0)
        {
            var images = idx[sample.Path];
            return new ImageInfo(images.Width, images.Height, images.Channels, ImageFormat.Unknown, 1);
        }

        var prefix = ReadPrefix(sample.Path, HeaderPrefix, out var whole);
        try
        {
            return decoder.ReadInfo(prefix, sample.Path);
        }
        catch (ImageDecodeException) when (!whole)
        {
            // A JPEG whose frame header lies past the prefix (a large EXIF block): read all of it.
            return decoder.ReadInfo(ReadPrefix(sample.Path, int.MaxValue, out _), sample.Path);
        }
    }

    /// <summary>
    /// Decodes the sample to [H, W, C] pixels with its header and the SHA-256 of its bytes (the file's, or an IDX
    /// item's pixels): one read serves the survey's sizes, modes, validity and duplicates.
    /// </summary>
    public (ImageInfo Info, byte[] Hash) Survey(LabelledSample sample)
    {
        if (sample.ItemIndex >= 0)
        {
            var images = idx[sample.Path];
            return (new ImageInfo(images.Width, images.Height, images.Channels, ImageFormat.Unknown, 1), SHA256.HashData(images.Item(sample.ItemIndex)));
        }

        var bytes = ReadPrefix(sample.Path, int.MaxValue, out _);
        var info = decoder.ReadInfo(bytes, sample.Path);
        // Decoded only to prove the whole image is readable; the pixels are not kept.
        decoder.DecodePixels(bytes, sample.Path);

        return (info, SHA256.HashData(bytes));
    }

    /// <summary>The sample's pixels as [H, W, C] bytes (decoded, or the IDX item).</summary>
    public (byte[] Pixels, int Height, int Width, int Channels) Pixels(LabelledSample sample)
    {
        if (sample.ItemIndex >= 0)
        {
            var images = idx[sample.Path];
            return (images.Item(sample.ItemIndex).ToArray(), images.Height, images.Width, images.Channels);
        }

        var image = decoder.DecodePixelsFile(sample.Path);
        return (image.Pixels, image.Height, image.Width, image.Channels);
    }

    private static int ReadInto(string path, [System.Diagnostics.CodeAnalysis.NotNull] ref byte[]? target)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = RandomAccess.GetLength(handle);
            if (length > Array.MaxLength)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"the file holds {length} bytes");
            }

            if (target is null || target.Length < length)
            {
                target = new byte[Math.Max(length, 64 * 1024)];
            }

            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, target.AsSpan(read, (int)length - read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Unreadable, e.Message, e);
        }
    }

    private static byte[] ReadPrefix(string path, int limit, out bool whole)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = RandomAccess.GetLength(handle);
            var buffer = new byte[Math.Min(length, limit)];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            whole = buffer.Length == length;
            return read == buffer.Length ? buffer : buffer[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Unreadable, e.Message, e);
        }
    }

    /// <summary>An IDX images file held in memory: item i is bytes [i·H·W·C, (i+1)·H·W·C) of Data.</summary>
    private sealed record IdxImages(byte[] Data, int Height, int Width, int Channels)
    {
        public ReadOnlySpan<byte> Item(int index)
        {
            var length = Height * Width * Channels;
            return Data.AsSpan(index * length, length);
        }

        public static IdxImages Load(string path)
        {
            var header = IdxSource.ReadHeader(path);
            var dims = header.Dimensions;
            if (dims.Count is < 3 or > 4)
            {
                throw new DataSetException(path, $"IDX images file '{path}' has {dims.Count} dimensions, expected 3 (count, rows, cols) or 4 (…, channels)");
            }

            using var stream = IdxSource.OpenData(path, out _);
            var skip = new byte[4 + (4 * dims.Count)];
            stream.ReadExactly(skip);
            var data = new byte[header.DataLength];
            try
            {
                stream.ReadExactly(data);
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
            {
                throw new DataSetException(path, $"cannot read IDX images file '{path}': {e.Message}", e);
            }

            return new IdxImages(data, dims[1], dims[2], dims.Count == 4 ? dims[3] : 1);
        }
    }
}
