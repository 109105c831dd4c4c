using System.Text.Json.Nodes;
using AutoNet.Torch.NN;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests;

/// <summary>LSTM and LSTMCell from a given state equal PyTorch's: outputs, final state, and gradients of input, state and weights.</summary>
public sealed class RecurrentParityTests
{
    private sealed record Case(string Name, Module Module, JsonObject Spec, Tensor Input, Tensor H0, Tensor C0);

    [Fact]
    public void Lstm_and_lstm_cell_from_a_given_state_match_pytorch_forward_and_backward()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(21);
        var cases = new[]
        {
            new Case("lstm 2 layers batch first", new LSTM(3, 4, numLayers: 2, batchFirst: true),
                new JsonObject { ["type"] = "LSTM", ["args"] = new JsonArray(3, 4), ["kwargs"] = new JsonObject { ["num_layers"] = 2, ["batch_first"] = true } },
                Torch.Randn(new long[] { 2, 5, 3 }), Torch.Randn(new long[] { 2, 2, 4 }), Torch.Randn(new long[] { 2, 2, 4 })),
            new Case("lstm cell unbatched", new LSTMCell(3, 4),
                new JsonObject { ["type"] = "LSTMCell", ["args"] = new JsonArray(3, 4), ["kwargs"] = new JsonObject() },
                Torch.Randn(new long[] { 3 }), Torch.Randn(new long[] { 4 }), Torch.Randn(new long[] { 4 })),
        };

        var request = new JsonArray();
        var ours = new List<(Tensor Y, Tensor H, Tensor C, Tensor?[] Grads)>();
        foreach (var c in cases)
        {
            var state = new JsonObject();
            foreach (var (key, tensor) in c.Module.StateDict())
            {
                state[key] = PythonReference.Encode(tensor);
            }

            c.Input.RequiresGrad_();
            c.H0.RequiresGrad_();
            c.C0.RequiresGrad_();
            Tensor y, h, cell;
            if (c.Module is LSTM lstm)
            {
                (y, (h, cell)) = lstm.Forward(c.Input, (c.H0, c.C0));
            }
            else
            {
                (h, cell) = ((LSTMCell)c.Module).Forward(c.Input, (c.H0, c.C0));
                y = h;
            }

            var gradY = Torch.Randn(y.Shape);
            var gradH = Torch.Randn(h.Shape);
            var gradC = Torch.Randn(cell.Shape);
            var loss = h.Mul(gradH).Sum().Add(cell.Mul(gradC).Sum());
            if (!ReferenceEquals(y, h))
            {
                loss = loss.Add(y.Mul(gradY).Sum());
            }

            loss.Backward();
            request.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["spec"] = c.Spec,
                ["state"] = state,
                ["train"] = true,
                ["input"] = PythonReference.Encode(c.Input),
                ["h0"] = PythonReference.Encode(c.H0),
                ["c0"] = PythonReference.Encode(c.C0),
                ["grad_y"] = PythonReference.Encode(gradY),
                ["grad_h"] = PythonReference.Encode(gradH),
                ["grad_c"] = PythonReference.Encode(gradC),
            });
            ours.Add((y, h, cell, new[] { c.Input.Grad, c.H0.Grad, c.C0.Grad }.Concat(c.Module.Parameters().Select(p => p.Grad)).ToArray()));
        }

        var reply = PythonReference.Run("modules_reference.py", new JsonObject { ["recurrent"] = request })["recurrent"]!;
        for (var i = 0; i < cases.Length; i++)
        {
            var name = cases[i].Name;
            var theirs = reply[name]!;
            TensorAssert.Close(PythonReference.Decode(theirs["y"]!), ours[i].Y, what: $"{name}: output");
            TensorAssert.Close(PythonReference.Decode(theirs["h"]!), ours[i].H, what: $"{name}: h");
            TensorAssert.Close(PythonReference.Decode(theirs["c"]!), ours[i].C, what: $"{name}: c");
            var expectedGrads = new[] { theirs["grad_input"], theirs["grad_h0"], theirs["grad_c0"] }
                .Concat(cases[i].Module.NamedParameters().Select(p => theirs["grads"]![p.Key])).ToArray();
            Assert.Equal(expectedGrads.Length, ours[i].Grads.Length);
            for (var g = 0; g < expectedGrads.Length; g++)
            {
                TensorAssert.Close(PythonReference.Decode(expectedGrads[g]!), ours[i].Grads[g]!, what: $"{name}: gradient {g}");
            }

            cases[i].Module.Dispose();
        }
    }
}
