using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class StratifiedSplitterTests
{
    [Fact]
    public void The_default_split_is_80_10_10_within_every_class()
    {
        var listing = Listings.WithCounts(100, 50, 20);

        var split = new StratifiedSplitter(seed: 1).Split(listing);

        Assert.Equal([80, 10, 10], split.ClassCounts[0]);
        Assert.Equal([40, 5, 5], split.ClassCounts[1]);
        Assert.Equal([16, 2, 2], split.ClassCounts[2]);
        Assert.Equal(136, split.Count(SplitPart.Train));
        Assert.Equal(170, split.Assignments.Count);
    }

    [Fact]
    public void Fractions_are_configurable()
    {
        var listing = Listings.WithCounts(100, 40);

        var split = new StratifiedSplitter(new SplitFractions(0.6, 0.25, 0.15), seed: 3).Split(listing);

        Assert.Equal([60, 25, 15], split.ClassCounts[0]);
        Assert.Equal([24, 10, 6], split.ClassCounts[1]);
    }

    [Fact]
    public void A_zero_fraction_leaves_that_part_empty()
    {
        var split = new StratifiedSplitter(new SplitFractions(0.9, 0.1, 0), seed: 3).Split(Listings.WithCounts(30, 7));

        Assert.Equal(0, split.Count(SplitPart.Test));
        Assert.Equal([27, 3, 0], split.ClassCounts[0]);
        Assert.True(split.ClassCounts[1][1] >= 1);
    }

    [Theory]
    [InlineData(0.8, 0.1, 0.2, "sum to 1")]
    [InlineData(1.1, -0.1, 0, "between 0 and 1")]
    [InlineData(0, 0.5, 0.5, "train fraction must be above 0")]
    [InlineData(double.NaN, 0.5, 0.5, "between 0 and 1")]
    public void Bad_fractions_are_refused_naming_the_problem(double train, double validation, double test, string what)
    {
        var error = Assert.Throws<ArgumentException>(() => new StratifiedSplitter(new SplitFractions(train, validation, test)));

        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void Every_class_with_three_or_more_images_gets_one_in_each_part_and_a_single_image_goes_to_train()
    {
        var listing = Listings.WithCounts(1, 2, 3, 4, 5, 7, 12);

        var split = new StratifiedSplitter(seed: 5).Split(listing);

        Assert.Equal([1, 0, 0], split.ClassCounts[0]);
        Assert.True(split.ClassCounts[1][0] >= 1);
        Assert.Equal(2, split.ClassCounts[1].Sum());
        for (var c = 2; c < 7; c++)
        {
            Assert.All(split.ClassCounts[c], n => Assert.True(n >= 1, $"class c{c}: {string.Join("/", split.ClassCounts[c])}"));
            Assert.True(split.ClassCounts[c][0] >= split.ClassCounts[c][1], $"class c{c}: train should be the largest part");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var listing = Listings.WithCounts(120, 80);

        var a = new StratifiedSplitter(seed: 42).Split(listing);
        var b = new StratifiedSplitter(seed: 42).Split(listing);
        var c = new StratifiedSplitter(seed: 43).Split(listing);

        Assert.Equal(a.Assignments, b.Assignments);
        Assert.NotEqual(a.Assignments, c.Assignments);
        Assert.Equal(a.ClassCounts, c.ClassCounts);
    }

    [Fact]
    public void The_split_does_not_depend_on_the_order_of_the_listing()
    {
        var listing = Listings.WithCounts(60, 30);
        var reversed = new DataSetListing(listing.Source, listing.ClassNames, [.. listing.Samples.Reverse()], []);

        var a = new StratifiedSplitter(seed: 9).Split(listing);
        var b = new StratifiedSplitter(seed: 9).Split(reversed);

        Assert.Equal(a.Assignments, b.Assignments);
    }

    [Fact]
    public void A_complete_given_split_is_kept_as_it_is()
    {
        var listing = Listings.WithCounts([10, 10], (c, j) => j < 2 ? SplitPart.Test : j < 5 ? SplitPart.Validation : SplitPart.Train);

        var split = new StratifiedSplitter(seed: 1).Split(listing);

        Assert.All(listing.Samples, s => Assert.Equal(s.GivenSplit, split.PartOf(s.Key)));
        Assert.Equal([5, 3, 2], split.ClassCounts[0]);
    }

    [Fact]
    public void A_given_test_part_is_kept_and_validation_is_carved_from_the_given_training_part()
    {
        var listing = Listings.WithCounts([100, 50], (c, j) => j < 10 ? SplitPart.Test : SplitPart.Train);

        var split = new StratifiedSplitter(seed: 1).Split(listing);

        Assert.All(listing.Samples.Where(s => s.GivenSplit == SplitPart.Test), s => Assert.Equal(SplitPart.Test, split.PartOf(s.Key)));
        Assert.Equal([80, 10, 10], split.ClassCounts[0]); // 90 given train: 8/9 train, 1/9 validation
        Assert.Equal([36, 4, 10], split.ClassCounts[1]);
    }

    [Fact]
    public void A_given_split_can_be_ignored()
    {
        var listing = Listings.WithCounts([100], (c, j) => SplitPart.Test);
        var twoClasses = new DataSetListing(listing.Source, ["c0", "c1"], [.. listing.Samples, new LabelledSample("c1/x.png", "/data/c1/x.png", 1, SplitPart.Test)], []);

        var split = new StratifiedSplitter(seed: 1) { HonourGivenSplit = false }.Split(twoClasses);

        Assert.Equal([80, 10, 10], split.ClassCounts[0]);
        Assert.Equal([1, 0, 0], split.ClassCounts[1]);
    }

    [Fact]
    public void Fashion_mnist_keeps_its_test_set_and_carves_validation_from_training()
    {
        var listing = BuiltInDataSets.Open("fashion-mnist");

        var split = new StratifiedSplitter(seed: 0).Split(listing);

        Assert.Equal(10_000, split.Count(SplitPart.Test));
        Assert.Equal(60_000, split.Count(SplitPart.Train) + split.Count(SplitPart.Validation));
        Assert.All(split.ClassCounts, c => Assert.Equal([5_333, 667, 1_000], c));
        Assert.Equal(SplitPart.Test, split.PartOf("t10k-images-idx3-ubyte#17"));
    }

    [Fact]
    public void An_image_folder_is_split_by_relative_path()
    {
        using var tree = new TempTree();
        tree.Classes(("cat", 10), ("dog", 3), ("eel", 1));

        var split = new StratifiedSplitter(seed: 2).Split(ImageFolderSource.Scan(tree.Root));

        Assert.Equal(14, split.Assignments.Count);
        Assert.Contains("dog/img000.png", split.Assignments.Keys);
        Assert.Equal(SplitPart.Train, split.PartOf("eel/img000.png"));
        Assert.Equal([1, 1, 1], split.ClassCounts[1]);
    }
}
