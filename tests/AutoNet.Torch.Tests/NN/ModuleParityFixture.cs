using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests;

/// <summary>
/// Runs every <see cref="ModuleParityCases"/> case in C# and, in one Python process (importing torch costs
/// seconds), in PyTorch with the C# module's own weights; the tests then compare the two per case.
/// </summary>
public sealed class ModuleParityFixture : IDisposable
{
    public sealed record Result(Tensor Output, Tensor? GradInput, IReadOnlyDictionary<string, Tensor> Grads, IReadOnlyDictionary<string, Tensor> State);

    private readonly DisposeScope scope;

    public ModuleParityFixture()
    {
        scope = Torch.NewDisposeScope();
        Torch.ManualSeed(11);
        var request = new JsonArray();
        var results = new Dictionary<string, Result>();
        foreach (var (name, make) in ModuleParityCases.All)
        {
            var c = make();
            var module = c.Module;
            module.Train(c.Train);
            var state = new JsonObject();
            foreach (var (key, tensor) in module.StateDict())
            {
                state[key] = PythonReference.Encode(tensor);
            }

            var input = c.Input.DType.IsFloatingPoint() ? c.Input.RequiresGrad_() : c.Input;
            var output = module.Forward(input);
            var grad = Torch.Randn(output.Shape);
            output.Backward(grad);
            request.Add(new JsonObject
            {
                ["name"] = name,
                ["spec"] = c.Spec,
                ["state"] = state,
                ["train"] = c.Train,
                ["input"] = PythonReference.Encode(c.Input),
                ["grad"] = PythonReference.Encode(grad),
            });
            results[name] = new Result(
                output.Detach(),
                input.RequiresGrad ? input.Grad : null,
                module.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad!),
                module.StateDict().ToDictionary(p => p.Key, p => p.Value.Detach().Clone()));
            module.Dispose();
        }

        CSharp = results;
        var reply = PythonReference.Run("modules_reference.py", new JsonObject { ["cases"] = request });
        PyTorch = ModuleParityCases.All.Keys.ToDictionary(name => name, name => Parse(reply["cases"]![name]!));
    }

    public IReadOnlyDictionary<string, Result> CSharp { get; }

    public IReadOnlyDictionary<string, Result> PyTorch { get; }

    private static Result Parse(JsonNode node) => new(
        PythonReference.Decode(node["output"]!),
        node["grad_input"] is { } g ? PythonReference.Decode(g) : null,
        node["grads"]!.AsObject().ToDictionary(p => p.Key, p => PythonReference.Decode(p.Value!)),
        node["state"]!.AsObject().ToDictionary(p => p.Key, p => PythonReference.Decode(p.Value!)));

    public void Dispose() => scope.Dispose();
}
