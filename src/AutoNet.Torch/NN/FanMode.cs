namespace AutoNet.Torch.NN;

/// <summary>Which fan Kaiming initialisation preserves: the forward pass's variance (FanIn) or the backward's (FanOut).</summary>
public enum FanMode
{
    FanIn,
    FanOut,
}
