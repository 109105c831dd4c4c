using AutoNet.Data.Sources;

namespace AutoNet.Data.Tests;

public sealed class DataSetSourcesTests
{
    [Fact]
    public void Open_picks_the_source_from_what_it_is_given()
    {
        using var tree = new TempTree();
        tree.Classes(("a", 1), ("b", 2));
        File.WriteAllText(tree.PathOf("m.csv"), "path,label\na/img000.png,x\nb/img000.png,y\nb/img001.png,y\n");

        var folder = DataSetSources.Open(tree.Root);
        var manifest = DataSetSources.Open(tree.PathOf("m.csv"));
        var builtIn = DataSetSources.Open("fashion-mnist");

        Assert.Equal(["a", "b"], folder.ClassNames);
        Assert.Equal(["x", "y"], manifest.ClassNames);
        Assert.Equal(10, builtIn.ClassNames.Count);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_an_error_naming_it()
    {
        using var tree = new TempTree();
        var missing = tree.PathOf("nothing-here");

        var error = Assert.Throws<DataSetException>(() => DataSetSources.Open(missing));

        Assert.Contains(missing, error.Message);
        Assert.Contains("fashion-mnist", error.Message);
    }
}
