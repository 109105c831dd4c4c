using System.Text.Json.Nodes;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

namespace AutoNet.Data.Tests;

public sealed class DataSplitTests
{
    [Fact]
    public void A_saved_split_reloads_with_the_same_assignments_counts_seed_and_fractions()
    {
        using var tree = new TempTree();
        var listing = Listings.WithCounts(40, 9, 1);
        var split = new StratifiedSplitter(new SplitFractions(0.7, 0.2, 0.1), seed: 77).Split(listing);
        var path = tree.PathOf("split.json");

        split.Save(path);
        var loaded = DataSplit.Load(path);

        Assert.Equal(split.Assignments, loaded.Assignments);
        Assert.Equal(split.ClassCounts, loaded.ClassCounts);
        Assert.Equal(77, loaded.Seed);
        Assert.Equal(new SplitFractions(0.7, 0.2, 0.1), loaded.Fractions);
        Assert.Equal(["c0", "c1", "c2"], loaded.ClassNames);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void The_json_holds_counts_and_a_part_for_every_key()
    {
        var split = new StratifiedSplitter(seed: 1).Split(Listings.WithCounts(10, 10));

        var json = JsonNode.Parse(split.ToJson())!;

        Assert.Equal(16, json["counts"]!["train"]!.GetValue<int>());
        Assert.Equal(2, json["counts"]!["validation"]!.GetValue<int>());
        Assert.Equal(2, json["counts"]!["test"]!.GetValue<int>());
        Assert.Equal(20, json["assignments"]!.AsObject().Count);
        Assert.Equal(split.PartOf("c1/0003.png") switch { SplitPart.Train => "train", SplitPart.Validation => "validation", _ => "test" }, json["assignments"]!["c1/0003.png"]!.GetValue<string>());
    }

    [Fact]
    public void Select_returns_the_samples_of_one_part()
    {
        var listing = Listings.WithCounts(20, 10);
        var split = new StratifiedSplitter(seed: 4).Split(listing);

        var validation = split.Select(listing, SplitPart.Validation);

        Assert.Equal(3, validation.Count);
        Assert.All(validation, s => Assert.Equal(SplitPart.Validation, split.PartOf(s.Key)));
        Assert.Equal(30, Enum.GetValues<SplitPart>().Sum(p => split.Select(listing, p).Count));
    }

    [Fact]
    public void A_listing_that_changed_since_the_split_is_refused()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 5), ("b", 5));
        var split = new StratifiedSplitter(seed: 4).Split(ImageFolderSource.Scan(tree.Root));
        tree.File("b/new.png");

        var changed = ImageFolderSource.Scan(tree.Root);
        var error = Assert.Throws<DataSetException>(() => split.Select(changed, SplitPart.Train));

        Assert.Contains("b/new.png", error.Message);
        Assert.Contains("11 samples now, 10 in the split", error.Message);
    }

    [Theory]
    [InlineData("{", "invalid")]
    [InlineData("{\"version\": 2}", "'version' is 2")]
    [InlineData("{\"version\": 1, \"seed\": 1}", "'fractions' is missing")]
    public void A_bad_split_file_is_an_error_naming_it(string json, string what)
    {
        using var tree = new TempTree();
        var path = tree.PathOf("split.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<DataSetException>(() => DataSplit.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void An_unknown_part_name_in_a_split_file_is_an_error()
    {
        using var tree = new TempTree();
        var path = tree.PathOf("split.json");
        var json = JsonNode.Parse(new StratifiedSplitter(seed: 1).Split(Listings.WithCounts(3, 3)).ToJson())!;
        json["assignments"]!["c0/0000.png"] = "holdout";
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<DataSetException>(() => DataSplit.Load(path));

        Assert.Contains("c0/0000.png", error.Message);
        Assert.Contains("holdout", error.Message);
    }
}
