using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Torch.Tests;

public sealed class PythonReferenceTests
{
    [Fact]
    public void Matmul_and_its_gradients_match_pytorch_on_the_same_inputs()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(3);
        var a = Torch.Randn(new long[] { 5, 7 }).RequiresGrad_();
        var b = Torch.Randn(new long[] { 7, 3 }).RequiresGrad_();
        var upstream = Torch.Randn(new long[] { 5, 3 });
        var reply = PythonReference.Run("matmul_reference.py", new JsonObject
        {
            ["a"] = PythonReference.Encode(a),
            ["b"] = PythonReference.Encode(b),
            ["grad"] = PythonReference.Encode(upstream),
        });

        var y = a.MatMul(b);
        y.Backward(upstream);
        TensorAssert.Close(PythonReference.Decode(reply["y"]!), y, what: "matmul");
        TensorAssert.Close(PythonReference.Decode(reply["grad_a"]!), a.Grad!, what: "grad a");
        TensorAssert.Close(PythonReference.Decode(reply["grad_b"]!), b.Grad!, what: "grad b");
    }
}
