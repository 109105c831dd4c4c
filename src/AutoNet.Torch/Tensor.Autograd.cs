using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch;

/// <summary>Autograd: gradient tracking, backward, and gradients.</summary>
public sealed unsafe partial class Tensor
{
    public bool RequiresGrad
    {
        get => ATNTensor_requires_grad(Handle) != 0;
        set => Check(ATNTensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public bool IsLeaf => ATNTensor_is_leaf(Handle) != 0;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, as PyTorch's <c>requires_grad_()</c>.</summary>
    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>The accumulated gradient as a new handle the caller owns, or null if there is none yet.</summary>
    public Tensor? Grad
    {
        get
        {
            var pointer = ATNTensor_grad(Handle);
            if (pointer == IntPtr.Zero)
            {
                ThrowIfError();
                return null;
            }

            return new Tensor(pointer);
        }

        set => Check(ATNTensor_set_grad(Handle, value is null ? Native.TensorHandle.Null : value.Handle));
    }

    public void ZeroGrad(bool setToNone = true) => Check(ATNTensor_zero_grad(Handle, setToNone ? 1 : 0));

    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false) =>
        Check(ATNTensor_backward(Handle, gradient is null ? Native.TensorHandle.Null : gradient.Handle, retainGraph ? 1 : 0, createGraph ? 1 : 0));

    /// <summary>
    /// Replaces this tensor's data with <paramref name="data"/>'s (its device and dtype too) while keeping this
    /// handle's identity, as PyTorch's <c>param.data = data</c>: modules move parameters this way so that an
    /// optimizer already holding them keeps working.
    /// </summary>
    public void SetData(Tensor data) => Check(ATNTensor_set_data(Handle, data.Handle));

    /// <summary>A tensor sharing storage but cut from the autograd graph.</summary>
    public Tensor Detach() => new(ATNTensor_detach(Handle));

    public Tensor Detach_() => InPlace(ATNTensor_detach_(Handle));
}
