using System.Text.Json.Nodes;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Tests.Reference;
using AutoNet.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Weights;

/// <summary>
/// Weights in and out: PyTorch's torch.save state dicts both ways (through PyBridge) and safetensors, with the
/// PyTorch network's output as the judge; wrong, truncated and mismatched files name the file and the first bad key.
/// </summary>
public sealed class ModuleWeightsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("autonet-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_pytorch_state_dict_loads_and_gives_pytorch_output()
    {
        using var scope = torch.NewDisposeScope();
        var input = Input();
        var path = Path.Combine(folder, "net.pth");
        var reply = PythonReference.Run("weights_reference.py", new JsonObject { ["write"] = path, ["input"] = PythonReference.Encode(input) });
        using var net = new WeightsTestNet();

        ModuleWeights.Load(net, path);
        net.eval();

        // Same weights, same float32 ops (conv, batch norm, linear) in libtorch 2.10 and 1.13: 1e-5 covers summation order.
        TensorAssert.Close(PythonReference.Decode(reply["written"]!), net.forward(input), rtol: 1e-5, atol: 1e-6, what: "logits");
        Assert.Equal(7, net.state_dict()["bn.num_batches_tracked"].item<long>());
    }

    [Theory]
    [InlineData("net.pth")]
    [InlineData("net.safetensors")]
    public void Saved_weights_load_back_and_pytorch_reads_the_pth(string file)
    {
        using var scope = torch.NewDisposeScope();
        var input = Input();
        torch.manual_seed(8);
        using var net = new WeightsTestNet();
        net.eval();
        var path = Path.Combine(folder, file);
        ModuleWeights.Save(net, path);
        torch.manual_seed(9);
        using var other = new WeightsTestNet();
        other.eval();

        ModuleWeights.Load(other, path);

        TensorAssert.Close(net.forward(input), other.forward(input), rtol: 0, atol: 0, what: "reloaded logits");
        if (ModuleWeights.IsPyTorch(path))
        {
            var reply = PythonReference.Run("weights_reference.py", new JsonObject { ["read"] = path, ["input"] = PythonReference.Encode(input) });
            TensorAssert.Close(PythonReference.Decode(reply["read"]!), net.forward(input), rtol: 1e-5, atol: 1e-6, what: "PyTorch's logits");
        }

        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_file_for_another_shape_names_the_file_the_key_and_both_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(folder, "wide.safetensors");
        using (var wide = new WeightsTestNet(outputs: 7))
        {
            ModuleWeights.Save(wide, path);
        }

        using var net = new WeightsTestNet();
        var before = net.state_dict()["fc.bias"].clone();

        var error = Assert.Throws<WeightsFileException>(() => ModuleWeights.Load(net, path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("fc.weight", error.Field);
        Assert.Contains("[7, 4]", error.Message);
        Assert.Contains("[5, 4]", error.Message);
        Assert.True(before.equal(net.state_dict()["fc.bias"]).all().item<bool>(), "nothing is copied when a shape is wrong");
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_named()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new WeightsTestNet();
        var tensors = net.state_dict().ToDictionary(p => p.Key, p => p.Value);
        var path = Path.Combine(folder, "partial.safetensors");
        SafetensorsFile.Write(path, tensors.Where(p => p.Key != "bn.running_var").ToDictionary(p => p.Key, p => p.Value));
        var missing = Assert.Throws<WeightsFileException>(() => ModuleWeights.Load(net, path));
        Assert.Equal("bn.running_var", missing.Field);
        Assert.Contains("missing", missing.Message);

        var prefixed = tensors.ToDictionary(p => p.Key == "fc.bias" ? "module.fc.bias" : p.Key, p => p.Value);
        var unexpected = Assert.Throws<WeightsFileException>(() => ModuleWeights.Load(net, prefixed, "prefixed weights"));
        Assert.Equal("fc.bias", unexpected.Field);
        Assert.StartsWith("prefixed weights", unexpected.Message);

        tensors["extra.weight"] = torch.ones(2);
        ModuleWeights.Load(net, tensors, "extra weights", strict: false);
        Assert.Throws<WeightsFileException>(() => ModuleWeights.Load(net, tensors, "extra weights"));
    }

    [Fact]
    public void Truncated_or_foreign_pytorch_files_name_the_file()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new WeightsTestNet();
        var good = Path.Combine(folder, "good.pth");
        ModuleWeights.Save(net, good);
        var bytes = File.ReadAllBytes(good);
        var truncated = Path.Combine(folder, "truncated.pth");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var text = Path.Combine(folder, "text.pth");
        File.WriteAllText(text, "not a checkpoint at all");
        var odd = Path.Combine(folder, "weights.onnx");
        File.WriteAllBytes(odd, bytes);

        foreach (var path in new[] { truncated, text, odd })
        {
            var live = TorchEngine.CountLiveTensors();
            var error = Assert.Throws<WeightsFileException>(() => ModuleWeights.Load(net, path));
            Assert.Equal(path, error.FilePath);
            Assert.StartsWith(path, error.Message);
            Assert.True(TorchEngine.CountLiveTensors() <= live, $"{path}: a refused file leaves no tensor behind");
        }
    }

    private static Tensor Input()
    {
        torch.manual_seed(4);
        return torch.randn(2, 3, 6, 6);
    }
}
