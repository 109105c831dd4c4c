namespace AutoNet.Torch.NN;

/// <summary>Flattens dims startDim..endDim, as torch.nn.Flatten (which keeps the batch dim by default).</summary>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module
{
    public long StartDim { get; } = startDim;

    public long EndDim { get; } = endDim;

    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}
