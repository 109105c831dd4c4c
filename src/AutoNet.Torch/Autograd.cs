using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary><c>torch.autograd</c>: gradients computed without touching any tensor's <see cref="Tensor.Grad"/>.</summary>
public static class Autograd
{
    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, as <c>torch.autograd.grad</c>;
    /// <paramref name="gradOutputs"/> weight each output (required unless every output is a scalar). With
    /// <paramref name="allowUnused"/>, an input the outputs do not depend on gets null instead of an error.
    /// </summary>
    public static unsafe Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? gradOutputs = null,
        bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            throw new ArgumentException($"gradOutputs has {gradOutputs.Count} tensors but there are {outputs.Count} outputs", nameof(gradOutputs));
        }

        var o = Tensor.Handles(outputs);
        var i = Tensor.Handles(inputs);
        var g = gradOutputs is null ? null : Tensor.Handles(gradOutputs);
        IntPtr* list;
        long count;
        fixed (IntPtr* op = o, ip = i, gp = g)
        {
            count = ATNAutograd_grad(op, o.Length, gp, ip, i.Length, retainGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, &list);
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(gradOutputs);
        }

        var grads = Tensor.FromList(count, list);
        var result = new Tensor?[grads.Length];
        for (var k = 0; k < grads.Length; k++)
        {
            if (ATNTensor_defined(grads[k].Handle) != 0)
            {
                result[k] = grads[k];
            }
            else
            {
                grads[k].Dispose();
            }
        }

        return result;
    }
}
