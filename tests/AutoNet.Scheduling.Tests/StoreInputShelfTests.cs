using AutoNet.Scheduling.Store;
using AutoNet.Search.Spaces;
using AutoNet.Store;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A transfer experiment's pretrained weights file and model package, kept in the store when it is created, reach a
/// machine that does not have them: unpacked into that machine's experiment folder, byte for byte.
/// </summary>
public sealed class StoreInputShelfTests
{
    [Fact]
    public async Task Pinned_weights_and_a_package_are_kept_and_fetched_where_the_original_paths_do_not_exist()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("inputs", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
        var original = Path.Combine(database.Directory, "first-machine");
        var weights = Path.Combine(original, "resnet18.pth");
        var package = Path.Combine(original, "package");
        Directory.CreateDirectory(Path.Combine(package, "nested"));
        File.WriteAllBytes(weights, [.. Enumerable.Range(0, 5000).Select(i => (byte)i)]);
        File.WriteAllText(Path.Combine(package, "model.json"), """{"name":"first"}""");
        File.WriteAllBytes(Path.Combine(package, "nested", "weights.safetensors"), [9, 8, 7]);
        var space = new SearchSpaceReader().Parse($$$"""
            {"name":"t","kind":"transfer","architecture":{},"hyperparameters":{"epochs":{"type":"int","low":1,"high":2}},
             "fixed":{"pretrained_weights":{{{System.Text.Json.JsonSerializer.Serialize(weights)}}},"pretrained_package":{{{System.Text.Json.JsonSerializer.Serialize(package)}}}}}
            """, "test space");
        var shelf = new StoreInputShelf(store);
        await shelf.KeepAsync(experiment.Id, space, default);

        // Here the paths exist: they are used as they are.
        var home = Path.Combine(database.Directory, "second-machine", "experiments", "inputs");
        Assert.Equal(weights, shelf.Locate(experiment.Id, home, weights));

        // On a machine without them, the store's copies are unpacked into its experiment folder.
        Directory.Move(original, original + "-gone");
        var fetchedWeights = shelf.Locate(experiment.Id, home, weights);
        var fetchedPackage = shelf.Locate(experiment.Id, home, package);
        Assert.StartsWith(home, fetchedWeights, StringComparison.Ordinal);
        Assert.Equal("resnet18.pth", Path.GetFileName(fetchedWeights));
        Assert.Equal(File.ReadAllBytes(Path.Combine(original + "-gone", "resnet18.pth")), File.ReadAllBytes(fetchedWeights));
        Assert.Equal("""{"name":"first"}""", File.ReadAllText(Path.Combine(fetchedPackage, "model.json")));
        Assert.Equal([9, 8, 7], File.ReadAllBytes(Path.Combine(fetchedPackage, "nested", "weights.safetensors")));
        Assert.Equal(fetchedWeights, shelf.Locate(experiment.Id, home, weights));

        // Nothing kept under a path: the path comes back for the caller's not-found message.
        var unknown = Path.Combine(original, "other.pth");
        Assert.Equal(unknown, shelf.Locate(experiment.Id, home, unknown));
    }
}
