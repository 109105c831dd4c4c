using System.Text.Json.Nodes;
using AutoNet.Search.Strategies.Reinforce;
using AutoNet.Torch.Tests.Reference;
using AutoNet.Torch.Weights;
using TorchSharp;

namespace AutoNet.Search.Tests.Strategies;

/// <summary>The RL controller's policy is a TorchSharp module with PyTorch's names, numbers and gradients.</summary>
[Collection(TorchStateCollection.Name)]
public sealed class ControllerPolicyTests : IDisposable
{
    private static readonly int[] Counts = [4, 2, 3];

    private readonly string folder = Directory.CreateTempSubdirectory("autonet-policy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void State_dict_names_are_pytorch_attribute_names()
    {
        using var policy = new ControllerPolicy(Counts, hiddenSize: 8);

        var names = policy.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();

        string[] expected =
        [
            "embeddings.0.weight", "embeddings.1.weight", "embeddings.2.weight",
            "heads.0.bias", "heads.0.weight", "heads.1.bias", "heads.1.weight", "heads.2.bias", "heads.2.weight",
            "lstm.bias_hh", "lstm.bias_ih", "lstm.weight_hh", "lstm.weight_ih", "start",
        ];
        Assert.Equal(expected, names);
        Assert.Equal([1L, 8L], policy.state_dict()["start"].shape);
    }

    [Fact]
    public void Log_probability_entropy_and_gradients_match_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(12);
        using var policy = new ControllerPolicy(Counts, hiddenSize: 16);
        var weights = Path.Combine(folder, "policy.pth");
        ModuleWeights.Save(policy, weights);
        int[] forced = [3, 0, 2];
        const double advantage = 0.37;
        const double entropyWeight = 0.05;

        var (_, logProbability, entropy) = policy.Run(forced, null);
        logProbability.mul(-advantage).sub(entropy.mul(entropyWeight)).backward();
        var reply = PythonReference.Run("controller_reference.py", new JsonObject
        {
            ["weights"] = weights,
            ["counts"] = new JsonArray(Counts.Select(c => (JsonNode)c).ToArray()),
            ["hidden"] = 16,
            ["temperature"] = policy.Temperature,
            ["tanh_constant"] = policy.TanhConstant,
            ["forced"] = new JsonArray(forced.Select(c => (JsonNode)c).ToArray()),
            ["advantage"] = advantage,
            ["entropy_weight"] = entropyWeight,
        });

        // float32 LSTM cell steps in libtorch 2.10 and 1.13: the same kernels up to summation order, 1e-5 relative.
        TensorAssert.Close(PythonReference.Decode(reply["log_probability"]!), logProbability, rtol: 1e-5, atol: 1e-6, what: "log π");
        TensorAssert.Close(PythonReference.Decode(reply["entropy"]!), entropy, rtol: 1e-5, atol: 1e-6, what: "entropy");
        var grads = reply["grads"]!.AsObject();
        var parameters = policy.named_parameters().ToArray();
        Assert.Equal(grads.Select(g => g.Key).Order(StringComparer.Ordinal), parameters.Select(p => p.name).Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in parameters)
        {
            if (grads[name] is null)
            {
                // The last decision's embedding is never read, so PyTorch leaves its gradient unset.
                Assert.True(parameter.grad is null || parameter.grad.count_nonzero().item<long>() == 0, $"{name} has a gradient, PyTorch's has none");
                continue;
            }

            TensorAssert.Close(PythonReference.Decode(grads[name]!), parameter.grad!, rtol: 1e-5, atol: 1e-6, what: $"gradient of {name}");
        }
    }
}
