namespace AutoNet.Torch.NN;

/// <summary>How a loss reduces over the batch; the values are libtorch's <c>at::Reduction</c>.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}
