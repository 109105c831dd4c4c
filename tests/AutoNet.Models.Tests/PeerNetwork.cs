using System.Text.Json.Nodes;
using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Models.Tests;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Runs Reference/cells_reference.py: PyTorch builds the same network with seeded weights, writes them as
/// safetensors, and replies with logits, counts and gradients; this loads those weights into <paramref name="model"/>
/// and checks it against them.
/// </summary>
internal static class PeerNetwork
{
    public static JsonNode Run(JsonObject request, Tensor input, string weightsPath)
    {
        request["input"] = PythonReference.Encode(input);
        request["weights"] = weightsPath;
        return PythonReference.Run("cells_reference.py", request);
    }

    /// <summary>Loads the peer's weights, then compares eval logits, the training step's logits and every gradient.</summary>
    public static void AssertMatches(Module model, Tensor input, JsonNode reply, string weightsPath, double tolerance = 1e-4)
    {
        Assert.Equal(reply["keys"]!.AsArray().Select(k => k!.GetValue<string>()), model.StateDict().Keys);
        using (var weights = SafetensorsFile.Read(weightsPath))
        {
            model.LoadStateDict(weights.Tensors);
        }

        Assert.Equal(reply["parameters"]!.GetValue<long>(), model.ParameterCount());
        model.Eval();
        using (Torch.NoGrad())
        {
            using var logits = model.Forward(input);
            using var expected = PythonReference.Decode(reply["eval_logits"]!);
            AssertClose(expected, logits, tolerance, "eval logits");
        }

        model.Train();
        using var trainLogits = model.Forward(input);
        using var expectedTrain = PythonReference.Decode(reply["train_logits"]!);
        AssertClose(expectedTrain, trainLogits, tolerance, "training-mode logits");
        using var probe = PythonReference.Decode(reply["probe"]!);
        using var product = trainLogits.Mul(probe);
        using var loss = product.Sum();
        model.ZeroGrad();
        loss.Backward();
        var grads = reply["grads"]!.AsObject();
        foreach (var (name, parameter) in model.NamedParameters())
        {
            using var grad = parameter.Grad ?? throw new Xunit.Sdk.XunitException($"{name} has no gradient");
            using var expectedGrad = PythonReference.Decode(grads[name]!);
            AssertClose(expectedGrad, grad, tolerance, $"gradient of {name}");
        }
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<float>();
        var a = actual.Contiguous().ToArray<float>();
        var scale = Math.Max(1.0, e.Max(v => Math.Abs((double)v)));
        var worst = e.Zip(a, (x, y) => Math.Abs((double)x - y)).Max();
        Assert.True(worst <= tolerance * scale, $"{what}: max difference {worst:G3} exceeds {tolerance * scale:G3}");
    }
}
