using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoNet.Data.Sources;

/// <summary>
/// Lists the MNIST family's IDX files (gzip or raw, detected from the data): for each <see cref="IdxPart"/>, an
/// unsigned-byte images file of rank ≥ 2 (count, rows, cols[, channels]) and an unsigned-byte labels file of rank 1
/// with the same count. The magic number, the dimensions, the data length and the labels are checked; every
/// failure is a <see cref="DataSetException"/> naming the file. A sample's <see cref="LabelledSample.Key"/> is
/// "images-file-name#index" (without ".gz").
/// </summary>
public sealed class IdxSource
{
    /// <summary>The IDX element type code for unsigned bytes.</summary>
    public const int UnsignedByte = 0x08;

    public IdxSource(string name, IReadOnlyList<IdxPart> parts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("an IDX source needs at least one images/labels pair", nameof(parts));
        }

        Name = name;
        Parts = parts;
        ClassNames = classNames;
    }

    public string Name { get; }

    public IReadOnlyList<IdxPart> Parts { get; }

    /// <summary>Class names by label value; null names classes by their numbers ("0", "1", …).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public DataSetListing Scan()
    {
        var samples = new List<LabelledSample>();
        var maxLabel = -1;
        foreach (var part in Parts)
        {
            var images = ReadHeaderChecked(part.ImagesPath, minRank: 2, maxRank: 4, out _);
            var labelsHeader = ReadHeaderChecked(part.LabelsPath, minRank: 1, maxRank: 1, out var labels);
            if (images.Dimensions[0] != labelsHeader.Dimensions[0])
            {
                throw new DataSetException(part.ImagesPath, $"IDX images file '{part.ImagesPath}' holds {images.Dimensions[0]} images but labels file '{part.LabelsPath}' holds {labelsHeader.Dimensions[0]} labels");
            }

            var keyBase = Path.GetFileName(part.ImagesPath);
            if (keyBase.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                keyBase = keyBase[..^3];
            }

            var fullImages = Path.GetFullPath(part.ImagesPath);
            for (var i = 0; i < labels!.Length; i++)
            {
                int label = labels[i];
                if (ClassNames is not null && label >= ClassNames.Count)
                {
                    throw new DataSetException(part.LabelsPath, $"IDX labels file '{part.LabelsPath}': label {label} at index {i} is out of range, expected 0..{ClassNames.Count - 1}");
                }

                maxLabel = Math.Max(maxLabel, label);
                samples.Add(new LabelledSample($"{keyBase}#{i}", fullImages, label, part.Split, i));
            }
        }

        var classNames = ClassNames ?? [.. Enumerable.Range(0, maxLabel + 1).Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (classNames.Count < 2)
        {
            throw new DataSetException(Parts[0].LabelsPath, $"IDX data set '{Name}' has only one class: a classifier needs at least two");
        }

        return new DataSetListing(Name, classNames, samples, []);
    }

    /// <summary>Reads and checks an IDX header; throws a <see cref="DataSetException"/> naming the file when it is not one.</summary>
    public static IdxHeader ReadHeader(string path)
    {
        using var stream = OpenData(path, out var gzip);
        return ReadHeader(stream, path, gzip);
    }

    /// <summary>Opens an IDX file, decompressing it when it starts with the gzip signature.</summary>
    internal static Stream OpenData(string path, out bool gzip)
    {
        FileStream file;
        try
        {
            file = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(path, $"cannot read IDX file '{path}': {e.Message}", e);
        }

        Span<byte> signature = stackalloc byte[2];
        var n = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        gzip = n == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
        return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static IdxHeader ReadHeader(Stream stream, string path, bool gzip)
    {
        Span<byte> magic = stackalloc byte[4];
        if (Read(stream, path, magic) < 4)
        {
            throw new DataSetException(path, $"'{path}' is not an IDX file: shorter than the 4-byte magic number");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new DataSetException(path, $"'{path}' is not an IDX file: magic number {Convert.ToHexString(magic)} does not start with 0000");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new DataSetException(path, $"IDX file '{path}' has rank 0");
        }

        var dims = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        for (var i = 0; i < rank; i++)
        {
            if (Read(stream, path, dim) < 4)
            {
                throw new DataSetException(path, $"IDX file '{path}' is truncated inside its header (dimension {i} of {rank})");
            }

            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (dims[i] < 0)
            {
                throw new DataSetException(path, $"IDX file '{path}': dimension {i} is negative ({dims[i]})");
            }
        }

        return new IdxHeader(magic[2], dims, gzip);
    }

    private static IdxHeader ReadHeaderChecked(string path, int minRank, int maxRank, out byte[]? data)
    {
        using var stream = OpenData(path, out var gzip);
        var header = ReadHeader(stream, path, gzip);
        if (header.ElementType != UnsignedByte)
        {
            throw new DataSetException(path, $"IDX file '{path}' has element type 0x{header.ElementType:X2}, expected 0x08 (unsigned byte)");
        }

        if (header.Dimensions.Count < minRank || header.Dimensions.Count > maxRank)
        {
            var expected = minRank == maxRank ? $"{minRank}" : $"{minRank} to {maxRank}";
            throw new DataSetException(path, $"IDX file '{path}' has {header.Dimensions.Count} dimensions, expected {expected}");
        }

        // Labels are kept; images are only counted, so the whole data length is proven without holding it.
        var keep = maxRank == 1;
        var expectedLength = header.DataLength;
        data = keep ? new byte[expectedLength] : null;
        var buffer = new byte[1 << 16];
        long total = 0;
        while (true)
        {
            var n = Read(stream, path, buffer);
            if (n == 0)
            {
                break;
            }

            if (keep && total < expectedLength)
            {
                Array.Copy(buffer, 0, data!, total, (int)Math.Min(n, expectedLength - total));
            }

            total += n;
        }

        if (total != expectedLength)
        {
            var shape = string.Join(" x ", header.Dimensions);
            throw new DataSetException(path, total < expectedLength
                ? $"IDX file '{path}' is truncated: dimensions {shape} call for {expectedLength} bytes of data, found {total}"
                : $"IDX file '{path}' has {total - expectedLength} bytes after the {expectedLength} bytes its dimensions {shape} call for");
        }

        return header;
    }

    private static int Read(Stream stream, string path, Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataSetException(path, $"IDX file '{path}' is a corrupt gzip stream: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DataSetException(path, $"cannot read IDX file '{path}': {e.Message}", e);
        }
    }
}
