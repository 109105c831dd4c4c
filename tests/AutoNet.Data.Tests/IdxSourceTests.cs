using System.Buffers.Binary;
using System.IO.Compression;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class IdxSourceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scan_lists_every_item_with_its_label_from_raw_or_gzip_files(bool gzip)
    {
        using var tree = new TempTree();
        var images = WriteIdx(tree, "images", 0x08, [4, 2, 3], new byte[24], gzip);
        var labels = WriteIdx(tree, "labels", 0x08, [4], [2, 0, 1, 2], gzip);

        var listing = new IdxSource("tiny", [new IdxPart(images, labels, SplitPart.Test)]).Scan();

        Assert.Equal(["0", "1", "2"], listing.ClassNames);
        Assert.Equal([2, 0, 1, 2], listing.Samples.Select(s => s.Label));
        Assert.Equal([0, 1, 2, 3], listing.Samples.Select(s => s.ItemIndex));
        Assert.Equal("images#3", listing.Samples[3].Key);
        Assert.All(listing.Samples, s => Assert.Equal(SplitPart.Test, s.GivenSplit));
        Assert.Equal(gzip, IdxSource.ReadHeader(images).Gzip);
        Assert.Equal([4, 2, 3], IdxSource.ReadHeader(images).Dimensions);
    }

    [Fact]
    public void Counts_that_differ_between_images_and_labels_are_an_error_naming_both_files()
    {
        using var tree = new TempTree();
        var images = WriteIdx(tree, "images", 0x08, [3, 2, 2], new byte[12]);
        var labels = WriteIdx(tree, "labels", 0x08, [4], [0, 1, 0, 1]);

        var error = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(images, labels, null)]).Scan());

        Assert.Contains(images, error.Message);
        Assert.Contains(labels, error.Message);
        Assert.Contains("3 images", error.Message);
        Assert.Contains("4 labels", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        using var tree = new TempTree();
        var images = WriteIdx(tree, "images", 0x08, [1, 1, 1], [0]);
        var labels = tree.PathOf("labels-gone");

        var error = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(images, labels, null)]).Scan());

        Assert.Contains(labels, error.Message);
        Assert.Equal(labels, error.SourcePath);
    }

    [Fact]
    public void A_bad_magic_number_is_an_error_naming_the_file()
    {
        using var tree = new TempTree();
        var notIdx = tree.PathOf("notidx");
        File.WriteAllBytes(notIdx, [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 0]);
        var labels = WriteIdx(tree, "labels", 0x08, [1], [0]);

        var error = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(notIdx, labels, null)]).Scan());

        Assert.Contains(notIdx, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void A_wrong_element_type_or_rank_is_an_error_naming_the_file()
    {
        using var tree = new TempTree();
        var floats = WriteIdx(tree, "floats", 0x0D, [2, 2, 2], new byte[32]);
        var images = WriteIdx(tree, "images", 0x08, [2, 2, 2], new byte[8]);
        var labels2d = WriteIdx(tree, "labels2d", 0x08, [2, 1], [0, 1]);
        var labels = WriteIdx(tree, "labels", 0x08, [2], [0, 1]);

        var typeError = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(floats, labels, null)]).Scan());
        var rankError = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(images, labels2d, null)]).Scan());

        Assert.Contains(floats, typeError.Message);
        Assert.Contains("0x0D", typeError.Message);
        Assert.Contains(labels2d, rankError.Message);
        Assert.Contains("2 dimensions, expected 1", rankError.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_or_overlong_data_is_an_error_naming_the_file(bool gzip)
    {
        using var tree = new TempTree();
        var shortImages = WriteIdx(tree, "short", 0x08, [3, 2, 2], new byte[11], gzip);
        var longImages = WriteIdx(tree, "long", 0x08, [3, 2, 2], new byte[13], gzip);
        var labels = WriteIdx(tree, "labels", 0x08, [3], [0, 1, 0], gzip);

        var truncated = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(shortImages, labels, null)]).Scan());
        var overlong = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(longImages, labels, null)]).Scan());

        Assert.Contains(shortImages, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        Assert.Contains("found 11", truncated.Message);
        Assert.Contains(longImages, overlong.Message);
        Assert.Contains("1 bytes after", overlong.Message);
    }

    [Fact]
    public void A_corrupt_gzip_stream_is_an_error_naming_the_file()
    {
        using var tree = new TempTree();
        var images = WriteIdx(tree, "images", 0x08, [200, 28, 28], Enumerable.Range(0, 200 * 784).Select(i => (byte)(i * 7)).ToArray(), gzip: true);
        var bytes = File.ReadAllBytes(images);
        for (var i = 20; i < bytes.Length - 8; i += 3)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(images, bytes);
        var labels = WriteIdx(tree, "labels", 0x08, [200], new byte[200]);

        var error = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(images, labels, null)]).Scan());

        Assert.Contains(images, error.Message);
    }

    [Fact]
    public void A_label_beyond_the_class_names_is_an_error_naming_the_file_and_index()
    {
        using var tree = new TempTree();
        var images = WriteIdx(tree, "images", 0x08, [3, 1, 1], new byte[3]);
        var labels = WriteIdx(tree, "labels", 0x08, [3], [0, 1, 2]);

        var error = Assert.Throws<DataSetException>(() => new IdxSource("x", [new IdxPart(images, labels, null)], ["a", "b"]).Scan());

        Assert.Contains(labels, error.Message);
        Assert.Contains("label 2 at index 2", error.Message);
    }

    [Fact]
    public void Fashion_mnist_resolves_to_the_debian_package_with_its_class_names_and_splits()
    {
        var listing = BuiltInDataSets.Open("fashion-mnist");

        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], listing.ClassNames);
        Assert.Equal(70_000, listing.Samples.Count);
        Assert.Equal(60_000, listing.Samples.Count(s => s.GivenSplit == SplitPart.Train));
        Assert.Equal(10_000, listing.Samples.Count(s => s.GivenSplit == SplitPart.Test));
        Assert.Equal(Enumerable.Repeat(7_000, 10), listing.ClassCounts());
        Assert.Equal("train-images-idx3-ubyte#0", listing.Samples[0].Key);
        Assert.Equal(9, listing.Samples[0].Label); // the first training image is an ankle boot
        Assert.Equal([60_000, 28, 28], IdxSource.ReadHeader(listing.Samples[0].Path).Dimensions);
    }

    [Fact]
    public void A_missing_built_in_folder_is_an_error_naming_it_and_the_package()
    {
        using var tree = new TempTree();
        var folder = tree.PathOf("fashion-mnist");

        var missing = Assert.Throws<DataSetException>(() => BuiltInDataSets.Open("fashion-mnist", folder));
        Directory.CreateDirectory(folder);
        var incomplete = Assert.Throws<DataSetException>(() => BuiltInDataSets.Open("fashion-mnist", folder));

        Assert.Contains(folder, missing.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", missing.Message);
        Assert.Contains("train-images-idx3-ubyte", incomplete.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", incomplete.Message);
    }

    [Fact]
    public void An_unknown_built_in_name_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<DataSetException>(() => BuiltInDataSets.Open("cifar-100"));

        Assert.Contains("cifar-100", error.Message);
        Assert.Contains("fashion-mnist", error.Message);
    }

    internal static string WriteIdx(TempTree tree, string name, byte type, int[] dims, byte[] data, bool gzip = false)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims)
        {
            var buffer = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(buffer, d);
            bytes.AddRange(buffer);
        }

        bytes.AddRange(data);
        var path = tree.PathOf(gzip ? name + ".gz" : name);
        using var file = File.Create(path);
        if (gzip)
        {
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes.ToArray());
        }
        else
        {
            file.Write(bytes.ToArray());
        }

        return path;
    }
}
