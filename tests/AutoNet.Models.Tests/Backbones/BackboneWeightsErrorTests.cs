using AutoNet.Models.Backbones;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Backbones;

/// <summary>A weights file that is not the backbone's gets an error naming the file and the key, and changes nothing.</summary>
public sealed class BackboneWeightsErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-backbone-errors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_missing_key_is_named_with_the_file_and_nothing_is_loaded()
    {
        var (file, model) = Prepare("missing.safetensors", state => state.Remove("layer2.0.bn1.running_var"));
        using (model)
        {
            var before = Snapshot(model);
            var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(file));
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
            Assert.Contains("missing key \"layer2.0.bn1.running_var\"", error.Message, StringComparison.Ordinal);
            AssertUnchanged(before, model);
        }
    }

    [Fact]
    public void An_unexpected_key_is_named_with_the_file_and_nothing_is_loaded()
    {
        var (file, model) = Prepare("extra.safetensors", state => state["layer2.0.extra.weight"] = torch.ones(3));
        using (model)
        {
            var before = Snapshot(model);
            var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(file));
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
            Assert.Contains("unexpected key \"layer2.0.extra.weight\"", error.Message, StringComparison.Ordinal);
            AssertUnchanged(before, model);
        }
    }

    [Fact]
    public void A_wrong_shape_is_named_with_both_shapes_and_nothing_is_loaded()
    {
        var (file, model) = Prepare("shape.safetensors", state => state["layer3.1.conv2.weight"] = torch.ones(256, 256, 1, 1));
        using (model)
        {
            var before = Snapshot(model);
            var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(file));
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
            Assert.Contains("size mismatch for \"layer3.1.conv2.weight\": the file has [256, 256, 1, 1], the model [256, 256, 3, 3]", error.Message, StringComparison.Ordinal);
            AssertUnchanged(before, model);
        }
    }

    [Fact]
    public void Another_architectures_file_gets_a_short_error_counting_the_keys()
    {
        var file = Path.Combine(folder, "resnet50.safetensors");
        using (var resnet50 = BackboneFactory.Create("resnet50", new BackboneOptions { NumClasses = 2 }))
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(file, resnet50.state_dict());
        }

        using var model = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 2 });
        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(file));
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected keys: \"layer1.0.bn3.bias\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("more mismatches", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 3000, $"the message is {error.Message.Length} characters long");
    }

    [Fact]
    public void A_file_that_does_not_exist_is_named()
    {
        using var model = BackboneFactory.Create("resnet18");
        var path = Path.Combine(folder, "absent.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() => model.LoadWeights(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => BackboneFactory.Load("resnet18", path));
    }

    [Fact]
    public void Missing_batch_counters_and_half_precision_weights_load()
    {
        var (file, model) = Prepare("half.safetensors", state =>
        {
            foreach (var key in state.Keys.Where(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList())
            {
                state.Remove(key);
            }

            foreach (var key in state.Keys.ToList())
            {
                state[key] = state[key].to(ScalarType.Float16);
            }
        });
        using (model)
        {
            var report = model.LoadWeights(file, HeadWeights.Load);
            var counters = model.state_dict().Keys.Where(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
            Assert.Equal(counters, report.Kept);
            Assert.Equal(model.state_dict().Count - counters.Count, report.Loaded.Count);
            using var scope = torch.NewDisposeScope();
            var content = TorchSharp.PyBridge.Safetensors.LoadStateDict(file);
            var expected = content["layer4.1.conv2.weight"].to(ScalarType.Float32);
            Assert.True(expected.Same(model.state_dict()["layer4.1.conv2.weight"]));
        }
    }

    /// <summary>A resnet18 (2 classes, seeded) and a file of another seeded resnet18's state, edited by <paramref name="edit"/>.</summary>
    private (string File, Backbone Model) Prepare(string name, Action<Dictionary<string, Tensor>> edit)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        using var source = BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 2 });
        var state = source.state_dict().ToDictionary(e => e.Key, e => e.Value);
        edit(state);
        var file = Path.Combine(folder, name);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(file, state);
        torch.manual_seed(6);
        return (file, BackboneFactory.Create("resnet18", new BackboneOptions { NumClasses = 2 }));
    }

    private static Dictionary<string, Tensor> Snapshot(Backbone model) => model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());

    private static void AssertUnchanged(Dictionary<string, Tensor> before, Backbone model)
    {
        foreach (var (key, tensor) in model.state_dict())
        {
            Assert.True(before[key].Same(tensor), $"{key} changed although the load failed");
            before[key].Dispose();
        }
    }
}
