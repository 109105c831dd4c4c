using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class ImageFolderSourceTests
{
    [Fact]
    public void Scan_lists_images_at_any_depth_with_sorted_classes_and_case_insensitive_extensions()
    {
        using var tree = new TempTree();
        tree.File("dog/a.JPG");
        tree.File("dog/deep/er/b.jpeg");
        tree.File("cat/c.Png");
        tree.File("cat/notes.txt");
        tree.File("bird/x/y/z/d.jpg");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["bird", "cat", "dog"], listing.ClassNames);
        Assert.Equal(
            ["bird/x/y/z/d.jpg:0", "cat/c.Png:1", "dog/a.JPG:2", "dog/deep/er/b.jpeg:2"],
            listing.Samples.Select(s => $"{s.Key}:{s.Label}").Order(StringComparer.Ordinal));
        Assert.All(listing.Samples, s => Assert.Null(s.GivenSplit));
        Assert.All(listing.Samples, s => Assert.True(File.Exists(s.Path)));
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.NotAnImageFile, skipped.Reason);
        Assert.EndsWith("notes.txt", skipped.Path);
    }

    [Fact]
    public void Scan_lists_webp_gif_and_bmp_files_and_names_what_it_lists_when_it_skips_a_file()
    {
        using var tree = new TempTree();
        tree.File("cat/a.webp");
        tree.File("cat/b.GIF");
        tree.File("dog/c.bmp");
        tree.File("dog/scan.tiff");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["cat/a.webp", "cat/b.GIF", "dog/c.bmp"], listing.Samples.Select(s => s.Key).Order(StringComparer.Ordinal));
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.NotAnImageFile, skipped.Reason);
        Assert.Contains(".webp, .gif or .bmp", skipped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_detects_a_train_val_test_layout_and_gives_each_sample_its_split()
    {
        using var tree = new TempTree();
        tree.File("train/cat/1.png");
        tree.File("train/dog/2.png");
        tree.File("val/cat/3.png");
        tree.File("test/dog/4.png");
        tree.File("test/horse/5.png");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["cat", "dog", "horse"], listing.ClassNames);
        var byKey = listing.Samples.ToDictionary(s => s.Key);
        Assert.Equal(SplitPart.Train, byKey["train/cat/1.png"].GivenSplit);
        Assert.Equal(SplitPart.Validation, byKey["val/cat/3.png"].GivenSplit);
        Assert.Equal(SplitPart.Test, byKey["test/dog/4.png"].GivenSplit);
        Assert.Equal(2, byKey["test/horse/5.png"].Label);
        Assert.Equal(0, byKey["val/cat/3.png"].Label);
    }

    [Fact]
    public void Classes_called_train_and_test_are_classes_when_they_hold_images()
    {
        using var tree = new TempTree();
        tree.Classes(("train", 2), ("test", 1));

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["test", "train"], listing.ClassNames);
        Assert.All(listing.Samples, s => Assert.Null(s.GivenSplit));
    }

    [Fact]
    public void Images_outside_class_folders_are_reported()
    {
        using var tree = new TempTree();
        tree.File("train/a/1.png");
        tree.File("train/b/2.png");
        tree.File("test/a/3.png");
        tree.File("cover.jpg");
        tree.File("notes.txt");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(3, listing.Samples.Count);
        Assert.All(listing.Samples, s => Assert.NotNull(s.GivenSplit));
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.OutsideClassFolder, skipped.Reason);
        Assert.Equal(tree.PathOf("cover.jpg"), skipped.Path);
    }

    [Fact]
    public void Split_folders_holding_images_of_their_own_are_classes()
    {
        using var tree = new TempTree();
        tree.File("train/a/1.png");
        tree.File("train/stray.png");
        tree.File("test/a/3.png");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["test", "train"], listing.ClassNames);
        Assert.Equal(["test/a/3.png", "train/a/1.png", "train/stray.png"], listing.Samples.Select(s => s.Key));
    }

    [Fact]
    public void Hidden_files_and_folders_are_ignored()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1));
        tree.File("a/.hidden.png");
        tree.File("a/.cache/x.png");
        tree.File(".git/objects/y.png");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["a", "b"], listing.ClassNames);
        Assert.Equal(2, listing.Samples.Count);
        Assert.Empty(listing.Skipped);
    }

    [Fact]
    public void A_directory_link_back_to_an_ancestor_is_reported_as_a_cycle_and_not_followed()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 2), ("b", 1));
        tree.DirectoryLink("a/loop", tree.PathOf("a"));
        tree.DirectoryLink("b/up", tree.Root);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(3, listing.Samples.Count);
        Assert.Equal(2, listing.Skipped.Count(s => s.Reason == SkipReason.SymlinkCycle));
        Assert.Contains(listing.Skipped, s => s.Path.EndsWith("a/loop") && s.Reason == SkipReason.SymlinkCycle);
    }

    [Fact]
    public void A_folder_reached_twice_through_links_is_scanned_once()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1));
        tree.File("elsewhere/x.png");
        tree.File("elsewhere/y.png");
        tree.DirectoryLink("a/one", tree.PathOf("elsewhere"));
        tree.DirectoryLink("b/two", tree.PathOf("elsewhere"));

        var listing = ImageFolderSource.Scan(tree.Root);

        // "elsewhere" is a class folder itself, so both links reach an already-scanned folder.
        Assert.Equal(["a", "b", "elsewhere"], listing.ClassNames);
        Assert.Equal(4, listing.Samples.Count);
        Assert.Equal(2, listing.Skipped.Count(s => s.Reason == SkipReason.AlreadyScanned));
    }

    [Fact]
    public void A_class_folder_that_is_a_link_is_followed_once()
    {
        using var outside = new TempTree();
        outside.File("x.png");
        outside.File("y.png");
        using var tree = new TempTree();
        tree.Classes(("a", 1));
        tree.DirectoryLink("linked", outside.Root);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["a", "linked"], listing.ClassNames);
        Assert.Equal(["linked/x.png", "linked/y.png"], listing.Samples.Where(s => s.Label == 1).Select(s => s.Key));
    }

    [Fact]
    public void A_file_name_that_is_not_utf8_is_reported_not_listed()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1));
        tree.File("a/latin.png");
        tree.RenameToBytes("a/latin.png", [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x70, 0x6E, 0x67]); // "café.png" in Latin-1

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(2, listing.Samples.Count);
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.NonUtf8Name, skipped.Reason);
        Assert.Contains("caf", skipped.Path);
    }

    [Fact]
    public void A_folder_name_that_is_not_utf8_is_reported_not_scanned()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1), ("latin", 2));
        tree.File("a/sub/x.png");
        tree.RenameToBytes("latin", [0x6C, 0x61, 0x74, 0xED, 0x6E]); // "latín" in Latin-1
        tree.RenameToBytes("a/sub", [0x73, 0xFC, 0x62]); // "süb" in Latin-1

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["a", "b"], listing.ClassNames);
        Assert.Equal(["a/img000.png", "b/img000.png"], listing.Samples.Select(s => s.Key));
        Assert.Equal(2, listing.Skipped.Count);
        Assert.All(listing.Skipped, s => Assert.Equal(SkipReason.NonUtf8Name, s.Reason));
    }

    [Fact]
    public void Very_long_file_names_and_deep_paths_are_listed()
    {
        using var tree = new TempTree();
        var longName = new string('n', 240) + ".png";
        var deep = string.Join("/", Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 200)));
        tree.File("a/" + longName);
        tree.File("b/" + deep + "/" + longName);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(2, listing.Samples.Count);
        Assert.Contains(listing.Samples, s => s.Key == "b/" + deep + "/" + longName && s.Label == 1);
        Assert.True(listing.Samples.Max(s => s.Path.Length) > 2500);
    }

    [Fact]
    public void Zero_byte_files_are_skipped_and_reported()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 2), ("b", 2));
        tree.File("a/empty.jpg", length: 0);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(4, listing.Samples.Count);
        var skipped = Assert.Single(listing.Skipped);
        Assert.Equal(SkipReason.EmptyFile, skipped.Reason);
        Assert.EndsWith("a/empty.jpg", skipped.Path);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Unreadable_files_are_skipped_and_reported()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 2), ("b", 2));
        // A dangling link cannot be opened even by root; a mode-000 file cannot be opened by anyone else.
        File.CreateSymbolicLink(tree.PathOf("a/dangling.png"), tree.PathOf("nowhere.png"));
        var locked = tree.File("b/locked.png");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var lockedIsReadable = CanOpen(locked);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Contains(listing.Skipped, s => s.Reason == SkipReason.Unreadable && s.Path.EndsWith("a/dangling.png"));
        Assert.Equal(!lockedIsReadable, listing.Skipped.Any(s => s.Reason == SkipReason.Unreadable && s.Path.EndsWith("b/locked.png")));
        Assert.Equal(lockedIsReadable ? 5 : 4, listing.Samples.Count);
        Assert.DoesNotContain(listing.Samples, s => s.Key == "a/dangling.png");
    }

    [Fact]
    public void The_skipped_summary_counts_each_reason_and_names_the_first_paths()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1));
        for (var i = 0; i < 5; i++)
        {
            tree.File($"a/empty{i}.png", length: 0);
        }

        tree.File("b/readme.txt");

        var summary = ImageFolderSource.Scan(tree.Root).SkippedSummary(pathsPerReason: 2);

        Assert.Contains("5 skipped (EmptyFile): ", summary);
        Assert.Contains("a/empty0.png", summary);
        Assert.Contains("a/empty1.png", summary);
        Assert.DoesNotContain("a/empty2.png", summary);
        Assert.Contains("1 skipped (NotAnImageFile): " + tree.PathOf("b/readme.txt"), summary);
    }

    [Fact]
    public void An_empty_class_folder_is_reported_and_not_a_class()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 1));
        tree.Folder("empty");
        tree.File("onlytext/readme.txt");

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(["a", "b"], listing.ClassNames);
        Assert.Contains(listing.Skipped, s => s.Reason == SkipReason.EmptyClassFolder && s.Path.EndsWith("/empty"));
        Assert.Contains(listing.Skipped, s => s.Reason == SkipReason.EmptyClassFolder && s.Path.EndsWith("/onlytext"));
    }

    [Fact]
    public void A_single_class_is_an_error_naming_the_folder()
    {
        using var tree = new TempTree();
        tree.Classes(("only", 3));

        var error = Assert.Throws<DataSetException>(() => ImageFolderSource.Scan(tree.Root));

        Assert.Contains(tree.Root, error.Message);
        Assert.Contains("only one class", error.Message);
        Assert.Equal(tree.Root, error.SourcePath);
    }

    [Fact]
    public void No_class_folders_is_an_error_naming_the_folder()
    {
        using var tree = new TempTree();
        tree.File("loose.png");

        var error = Assert.Throws<DataSetException>(() => ImageFolderSource.Scan(tree.Root));

        Assert.Contains(tree.Root, error.Message);
        Assert.Contains("no class folders", error.Message);
    }

    [Fact]
    public void Class_folders_without_images_are_an_error_naming_the_folder()
    {
        using var tree = new TempTree();
        tree.File("a/readme.txt");
        tree.File("b/empty.png", length: 0);

        var error = Assert.Throws<DataSetException>(() => ImageFolderSource.Scan(tree.Root));

        Assert.Contains(tree.Root, error.Message);
        Assert.Contains("no images", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        using var tree = new TempTree();
        var missing = tree.PathOf("not-there");

        var error = Assert.Throws<DataSetException>(() => ImageFolderSource.Scan(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_cancelled_scan_stops()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 2), ("b", 2));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ImageFolderSource.Scan(tree.Root, cancel.Token));
        Assert.Equal(4, ImageFolderSource.Scan(tree.Root, CancellationToken.None).Samples.Count);
    }

    [Fact]
    public void Scanning_writes_nothing_into_the_folder()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 3), ("b", 2));
        tree.File("a/sub/deep.jpg");
        tree.File("b/empty.png", length: 0);
        tree.File("b/.hidden/x.png");
        tree.Folder("c");
        tree.DirectoryLink("a/loop", tree.Root);
        var before = tree.Snapshot();
        Thread.Sleep(20);

        var listing = ImageFolderSource.Scan(tree.Root);

        Assert.Equal(6, listing.Samples.Count);
        Assert.Equal(before, tree.Snapshot());
    }

    private static bool CanOpen(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
