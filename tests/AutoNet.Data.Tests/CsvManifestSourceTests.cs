using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class CsvManifestSourceTests
{
    [Fact]
    public void Scan_lists_paths_relative_to_the_manifest_with_sorted_classes()
    {
        using var tree = new TempTree();
        tree.File("data/img/1.png");
        tree.File("data/img/2.jpg");
        tree.File("data/other/3.png");
        var manifest = Write(tree, "data/manifest.csv", "path,label\nimg/1.png,zebra\nimg/2.jpg,ant\n../data/other/3.png,zebra\n");

        var listing = CsvManifestSource.Scan(manifest);

        Assert.Equal(["ant", "zebra"], listing.ClassNames);
        Assert.Equal(["img/1.png:1", "img/2.jpg:0", "other/3.png:1"], listing.Samples.Select(s => $"{s.Key}:{s.Label}"));
        Assert.Equal(tree.PathOf("data/img/1.png"), listing.Samples[0].Path);
        Assert.All(listing.Samples, s => Assert.Null(s.GivenSplit));
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_line_breaks()
    {
        using var tree = new TempTree();
        tree.File("a, b.png");
        tree.File("say \"hi\".png");
        var manifest = Write(tree, "m.csv", "label,path\r\n\"multi\nline\",\"a, b.png\"\r\nplain,\"say \"\"hi\"\".png\"\r\n\r\n");

        var listing = CsvManifestSource.Scan(manifest);

        Assert.Equal(["multi\nline", "plain"], listing.ClassNames);
        Assert.Equal(["a, b.png", "say \"hi\".png"], listing.Samples.Select(s => s.Key));
    }

    [Fact]
    public void The_split_column_gives_each_sample_its_split()
    {
        using var tree = new TempTree();
        foreach (var name in new[] { "1", "2", "3", "4" })
        {
            tree.File(name + ".png");
        }

        var manifest = Write(tree, "m.csv", "path,label,split\n1.png,a,train\n2.png,b,VAL\n3.png,a,test\n4.png,b,\n");

        var listing = CsvManifestSource.Scan(manifest);

        Assert.Equal([SplitPart.Train, SplitPart.Validation, SplitPart.Test, (SplitPart?)null], listing.Samples.Select(s => s.GivenSplit));
    }

    [Fact]
    public void An_unknown_split_value_is_an_error_naming_manifest_line_and_field()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        tree.File("2.png");
        var manifest = Write(tree, "m.csv", "path,label,split\n1.png,a,train\n2.png,b,holdout\n");

        var error = Assert.Throws<DataSetException>(() => CsvManifestSource.Scan(manifest));

        Assert.Contains(manifest, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("'split'", error.Message);
        Assert.Contains("holdout", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_manifest_line_and_field()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        var manifest = Write(tree, "m.csv", "path,label\n1.png,a\n\"gone.png\",b\n");

        var error = Assert.Throws<DataSetException>(() => CsvManifestSource.Scan(manifest));

        Assert.Contains(manifest, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("'path'", error.Message);
        Assert.Contains("gone.png", error.Message);
    }

    [Fact]
    public void Missing_files_can_be_skipped_and_reported_instead()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        tree.File("2.png");
        var manifest = Write(tree, "m.csv", "path,label\n1.png,a\ngone.png,b\n2.png,b\n");

        var listing = new CsvManifestSource(manifest) { SkipMissingFiles = true }.Scan();

        Assert.Equal(2, listing.Samples.Count);
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.MissingFile, skipped.Reason);
        Assert.Contains("line 3", skipped.Detail);
    }

    [Theory]
    [InlineData("path,label\n1.png\n", "line 2", "expected 2 fields")]
    [InlineData("path,label\n,a\n", "line 2", "'path' is empty")]
    [InlineData("path,label\n1.png,a\n1.png,  \n", "line 3", "'label' is empty")]
    [InlineData("file,class\n1.png,a\n", "line 1", "'path' and 'label'")]
    [InlineData("path,label\n\"1.png,a\n", "line 2", "never closed")]
    [InlineData("path,label\n\"1.png\"x,a\n", "line 2", "after a closing quote")]
    public void A_bad_row_is_an_error_naming_manifest_line_and_field(string text, string line, string what)
    {
        using var tree = new TempTree();
        tree.File("1.png");
        var manifest = Write(tree, "m.csv", text);

        var error = Assert.Throws<DataSetException>(() => CsvManifestSource.Scan(manifest));

        Assert.Contains(manifest, error.Message);
        Assert.Contains(line, error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void Empty_files_and_repeated_paths_are_skipped_and_reported()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        tree.File("2.png");
        tree.File("0.png", length: 0);
        var manifest = Write(tree, "m.csv", "path,label\n1.png,a\n2.png,b\n0.png,b\n./1.png,a\n");

        var listing = CsvManifestSource.Scan(manifest);

        Assert.Equal(2, listing.Samples.Count);
        Assert.Equal([SkipReason.EmptyFile, SkipReason.Duplicate], listing.Skipped.Select(s => s.Reason));
    }

    [Fact]
    public void A_manifest_with_one_class_is_an_error_naming_it()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        var manifest = Write(tree, "m.csv", "path,label\n1.png,a\n");

        var error = Assert.Throws<DataSetException>(() => CsvManifestSource.Scan(manifest));

        Assert.Contains(manifest, error.Message);
        Assert.Contains("only one class", error.Message);
    }

    [Fact]
    public void Scanning_writes_nothing_into_the_folder()
    {
        using var tree = new TempTree();
        tree.File("1.png");
        tree.File("2.png");
        var manifest = Write(tree, "m.csv", "path,label\n1.png,a\n2.png,b\n");
        var before = tree.Snapshot();

        CsvManifestSource.Scan(manifest);

        Assert.Equal(before, tree.Snapshot());
    }

    private static string Write(TempTree tree, string relative, string text)
    {
        var path = tree.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
