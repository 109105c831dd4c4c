using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests.Parity;

/// <summary>
/// Runs every case of one test class in C# and, in ONE python process, in PyTorch (torch's import costs ~1.5 s):
/// inputs and upstream gradients are made here, sent as exact bytes, and both sides' outputs, output strides and
/// input gradients are kept for the per-case tests.
/// </summary>
public abstract class ParityFixture : IDisposable
{
    private readonly Dictionary<string, CaseResult> csharp = new();
    private readonly Dictionary<string, JsonNode> python = new();

    protected ParityFixture(IReadOnlyList<ParityCase> cases)
    {
        var requests = new JsonArray();
        var threads = Torch.GetNumThreads();
        Torch.SetNumThreads(1); // python's count (reference_io.py): reductions then sum in the same order
        try
        {
            using var scope = Torch.NewDisposeScope();
            foreach (var c in cases)
            {
                var (result, request) = RunCSharp(c);
                csharp.Add(c.Name, result);
                requests.Add(request);
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }

        var reply = PythonReference.Run("ops_reference.py", new JsonObject { ["cases"] = requests });
        foreach (var (name, node) in reply["cases"]!.AsObject())
        {
            python.Add(name, node!);
        }
    }

    public void Dispose()
    {
        foreach (var r in csharp.Values)
        {
            foreach (var t in r.Outputs.Concat(r.Grads.Values))
            {
                t?.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Asserts the case's outputs and input gradients equal PyTorch's (rtol 1e-5; integers and booleans exactly).</summary>
    public void AssertMatches(string name)
    {
        var mine = csharp[name];
        Assert.True(python.TryGetValue(name, out var theirs), $"ops_reference.py has no case '{name}'");
        if (theirs!["missing"] is not null)
        {
            Assert.Fail($"ops_reference.py does not know the op '{name}'");
        }

        if (mine.ExpectError)
        {
            var message = theirs["error"]?.GetValue<string>();
            Assert.False(message is null, $"PyTorch did not raise for '{name}'");
            Assert.NotNull(mine.Error);
            Assert.IsType<AutoNetNativeException>(mine.Error);
            Assert.Equal(message, mine.Error!.Message); // libtorch's message, word for word, as python shows it
            return;
        }

        if (mine.Error is not null)
        {
            throw new Xunit.Sdk.XunitException($"C# failed on '{name}': {mine.Error}");
        }

        Assert.True(theirs["error"] is null, $"PyTorch failed on '{name}': {theirs["error"]}");
        var outputs = theirs["outputs"]!.AsArray();
        Assert.Equal(outputs.Count, mine.Outputs.Count);
        using var scope = Torch.NewDisposeScope();
        for (var i = 0; i < outputs.Count; i++)
        {
            var expected = PythonReference.Decode(outputs[i]!);
            var actual = mine.Outputs[i];
            Assert.Equal(expected.DType, actual.DType);
            if (actual.DType.IsFloatingPoint())
            {
                TensorAssert.Close(expected, actual, what: $"{name} output {i}");
            }
            else
            {
                TensorAssert.Close(expected, actual, rtol: 0, atol: 0, what: $"{name} output {i}");
            }

            Assert.True(theirs["requires_grad"]![i]!.GetValue<bool>() == mine.RequiresGrad[i],
                $"{name} output {i}: requires_grad is {mine.RequiresGrad[i]}, PyTorch's is {!mine.RequiresGrad[i]}");
            if (mine.CompareStrides)
            {
                var strides = theirs["strides"]![i]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
                Assert.Equal(strides, mine.Strides[i]);
            }
        }

        var grads = theirs["grads"]!.AsObject();
        Assert.Equal(grads.Select(g => g.Key).OrderBy(k => k), mine.Grads.Keys.OrderBy(k => k));
        foreach (var (input, node) in grads)
        {
            var actual = mine.Grads[input];
            if (node is null)
            {
                Assert.True(actual is null, $"{name}: PyTorch gives no gradient for {input}, C# does");
                continue;
            }

            Assert.True(actual is not null, $"{name}: C# gives no gradient for {input}, PyTorch does");
            TensorAssert.Close(PythonReference.Decode(node), actual!, what: $"{name} grad {input}");
        }
    }

    private static (CaseResult Result, JsonObject Request) RunCSharp(ParityCase c)
    {
        Torch.ManualSeed(StableSeed(c.Name));
        var inputs = new CaseInputs();
        c.Build(inputs);
        var encoded = new JsonObject();
        foreach (var (name, tensor) in inputs.All)
        {
            encoded[name] = PythonReference.Encode(tensor);
        }

        var request = new JsonObject
        {
            ["name"] = c.Name,
            ["inputs"] = encoded,
            ["grad"] = new JsonArray(inputs.All.Where(t => inputs.NeedsGrad(t.Name)).Select(t => (JsonNode)t.Name).ToArray()),
            ["seed"] = c.ForwardSeed,
        };
        var result = new CaseResult(c.ExpectError, c.CompareStrides);
        try
        {
            if (c.ForwardSeed is { } seed)
            {
                Torch.ManualSeed(seed);
            }

            var outputs = c.Forward(inputs);
            var upstreams = new JsonArray();
            Tensor? loss = null;
            foreach (var output in outputs)
            {
                if (output.DType.IsFloatingPoint() && output.RequiresGrad)
                {
                    // |upstream| >= 0.5, so a scalar loss's gradients are not scaled down under the absolute tolerance.
                    var normal = Torch.Randn(output.Shape, output.DType);
                    var upstream = normal.Sign().Mul(normal.Abs().Add(0.5));
                    upstreams.Add(PythonReference.Encode(upstream));
                    var term = output.Mul(upstream).Sum();
                    loss = loss is null ? term : loss.Add(term);
                }
                else
                {
                    upstreams.Add(null);
                }

                result.Outputs.Add(output.Detach().Clone().DetachFromDisposeScope());
                result.Strides.Add(output.Strides);
                result.RequiresGrad.Add(output.RequiresGrad);
            }

            request["upstream"] = upstreams;
            loss?.Backward();
            foreach (var (name, tensor) in inputs.All.Where(t => inputs.NeedsGrad(t.Name)))
            {
                result.Grads[name] = tensor.Grad?.DetachFromDisposeScope();
            }
        }
        catch (Exception e) when (e is AutoNetNativeException or ArgumentException or InvalidOperationException)
        {
            result.Error = e;
            request["upstream"] = new JsonArray();
        }

        return (result, request);
    }

    private static long StableSeed(string name)
    {
        long h = 17;
        foreach (var ch in name)
        {
            h = (h * 31 + ch) % 1_000_003;
        }

        return h;
    }

    private sealed class CaseResult(bool expectError, bool compareStrides)
    {
        public bool ExpectError { get; } = expectError;

        public bool CompareStrides { get; } = compareStrides;

        public List<Tensor> Outputs { get; } = new();

        public List<long[]> Strides { get; } = new();

        public List<bool> RequiresGrad { get; } = new();

        public Dictionary<string, Tensor?> Grads { get; } = new();

        public Exception? Error { get; set; }
    }
}
