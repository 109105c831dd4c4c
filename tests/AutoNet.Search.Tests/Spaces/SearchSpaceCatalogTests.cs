using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SearchSpaceCatalogTests
{
    [Fact]
    public void The_shipped_files_are_copied_next_to_the_application()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, SearchSpaceCatalog.FolderName);

        Assert.True(File.Exists(Path.Combine(folder, "darts.json")), folder);
        Assert.Equal(Path.Combine(folder, "darts.json"), SearchSpaceCatalog.Default.ResolvePath("darts"));
    }

    [Fact]
    public void A_name_resolves_in_the_given_folders_in_order()
    {
        var first = Directory.CreateTempSubdirectory("autonet-spaces-").FullName;
        var second = Directory.CreateTempSubdirectory("autonet-spaces-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(first, "mine.json"), "{\"name\": \"mine\", \"kind\": \"macro\", \"hyperparameters\": {}}");
            File.WriteAllText(Path.Combine(second, "mine.json"), "{\"name\": \"other\", \"kind\": \"macro\", \"hyperparameters\": {}}");
            File.WriteAllText(Path.Combine(second, "more.json"), "{}");
            var catalog = new SearchSpaceCatalog([first, second]);

            Assert.Equal("mine", catalog.Resolve("mine").Name);
            Assert.Equal(["mine", "more"], catalog.Names);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void A_path_resolves_to_that_file()
    {
        var folder = Directory.CreateTempSubdirectory("autonet-spaces-").FullName;
        try
        {
            var path = Path.Combine(folder, "my.json");
            File.WriteAllText(path, "{\"name\": \"my\", \"kind\": \"macro\", \"hyperparameters\": {}}");

            var space = new SearchSpaceCatalog([]).Resolve(path);

            Assert.Equal("my", space.Name);
            Assert.Equal(path, space.SourcePath);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_name_lists_the_shipped_spaces_and_where_it_looked()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SearchSpaceCatalog.Default.Resolve("dart"));

        Assert.Contains("no search space named 'dart'", error.Message, StringComparison.Ordinal);
        Assert.Contains("darts, macro-cnn, macro-cnn-quick, macro-cnn-small-images, macro-cnn-tiny, nasnet, transfer", error.Message, StringComparison.Ordinal);
        Assert.Contains(SearchSpaceCatalog.FolderName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_json_path_is_an_error_naming_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SearchSpaceCatalog.Default.Resolve("nowhere/my.json"));

        Assert.Contains("my.json' does not exist", error.Message, StringComparison.Ordinal);
    }
}
