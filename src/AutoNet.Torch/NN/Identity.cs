namespace AutoNet.Torch.NN;

/// <summary>Returns its input, as torch.nn.Identity.</summary>
public sealed class Identity : Module
{
    // A new handle to the same tensor, so that every Forward returns a tensor the caller owns and may dispose.
    public override Tensor Forward(Tensor input) => input.Alias();
}
