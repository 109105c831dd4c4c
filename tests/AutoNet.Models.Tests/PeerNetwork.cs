using System.Text.Json.Nodes;
using AutoNet.Torch;
using TorchSharp;
using static TorchSharp.torch;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Models.Tests;

/// <summary>
/// Runs Reference/cells_reference.py: PyTorch builds the same network with seeded weights, writes them as
/// safetensors, and replies with logits, counts and gradients; this loads those weights into <paramref name="model"/>
/// and checks it against them.
/// </summary>
internal static class PeerNetwork
{
    /// <summary>
    /// Max difference relative to max(1, |largest expected value|). 1e-4 as under the old binding (same libtorch as
    /// the peer); libtorch 2.10 against PyTorch 1.13 picks other convolution kernels (oneDNN versions differ), whose
    /// float32 summation order differs, still well inside 1e-4 on these O(1) logits and gradients.
    /// </summary>
    public const double Tolerance = 1e-4;

    public static JsonNode Run(JsonObject request, Tensor input, string weightsPath)
    {
        request["input"] = PythonReference.Encode(input);
        request["weights"] = weightsPath;
        return PythonReference.Run("cells_reference.py", request);
    }

    /// <summary>Loads the peer's weights, then compares eval logits, the training step's logits and every gradient.</summary>
    public static void AssertMatches(nn.Module<Tensor, Tensor> model, Tensor input, JsonNode reply, string weightsPath, double tolerance = Tolerance)
    {
        Assert.Equal(reply["keys"]!.AsArray().Select(k => k!.GetValue<string>()), StateDicts.Keys(model));
        // Copied, not load_state_dict: TorchSharp's load_state_dict goes on using the tensors it is given, so the
        // file's tensors could not be disposed after it (freed weights read back as NaN in backward).
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var loaded = TorchSharp.PyBridge.Safetensors.LoadStateDict(weightsPath);
            var own = model.state_dict();
            Assert.Equal(own.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, tensor) in own)
            {
                tensor.copy_(loaded[key]);
            }
        }

        Assert.Equal(reply["parameters"]!.GetValue<long>(), model.ParameterCount());
        model.eval();
        using (torch.no_grad())
        {
            using var logits = model.forward(input);
            using var expected = PythonReference.Decode(reply["eval_logits"]!);
            AssertClose(expected, logits, tolerance, "eval logits");
        }

        model.train();
        using var trainLogits = model.forward(input);
        using var expectedTrain = PythonReference.Decode(reply["train_logits"]!);
        AssertClose(expectedTrain, trainLogits, tolerance, "training-mode logits");
        using var probe = PythonReference.Decode(reply["probe"]!);
        using var product = trainLogits.mul(probe);
        using var loss = product.sum();
        model.zero_grad();
        loss.backward();
        var grads = reply["grads"]!.AsObject();
        var failures = new List<string>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var grad = parameter.grad ?? throw new Xunit.Sdk.XunitException($"{name} has no gradient");
            using var expectedGrad = PythonReference.Decode(grads[name]!);
            try
            {
                AssertClose(expectedGrad, grad, tolerance, $"gradient of {name}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.contiguous().data<float>().ToArray();
        var a = actual.detach().contiguous().data<float>().ToArray();
        var scale = Math.Max(1.0, e.Max(v => Math.Abs((double)v)));
        var worst = e.Zip(a, (x, y) => Math.Abs((double)x - y)).Max();
        Assert.True(worst <= tolerance * scale, $"{what}: max difference {worst:G3} exceeds {tolerance * scale:G3} (NaN: expected {e.Count(float.IsNaN)}, actual {a.Count(float.IsNaN)} of {a.Length}; first {e[0]} vs {a[0]})");
    }
}
