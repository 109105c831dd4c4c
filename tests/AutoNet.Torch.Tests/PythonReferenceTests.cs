using System.Text.Json.Nodes;
using AutoNet.Torch.Tests.Reference;
using TorchSharp;

namespace AutoNet.Torch.Tests;

public sealed class PythonReferenceTests
{
    [Fact]
    public void Matmul_and_its_gradients_match_pytorch_on_the_same_inputs()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var a = torch.randn(5, 7).requires_grad_();
        var b = torch.randn(7, 3).requires_grad_();
        var upstream = torch.randn(5, 3);
        var reply = PythonReference.Run("matmul_reference.py", new JsonObject
        {
            ["a"] = PythonReference.Encode(a),
            ["b"] = PythonReference.Encode(b),
            ["grad"] = PythonReference.Encode(upstream),
        });

        var y = a.matmul(b);
        y.backward([upstream]);
        TensorAssert.Close(PythonReference.Decode(reply["y"]!), y, what: "matmul");
        TensorAssert.Close(PythonReference.Decode(reply["grad_a"]!), a.grad!, what: "grad a");
        TensorAssert.Close(PythonReference.Decode(reply["grad_b"]!), b.grad!, what: "grad b");
    }
}
