namespace AutoNet.Torch.NN;

/// <summary>Average pooling to a fixed output size, as torch.nn.AdaptiveAvgPool2d.</summary>
public sealed class AdaptiveAvgPool2d((long, long) outputSize) : Module
{
    public AdaptiveAvgPool2d(long outputSize)
        : this((outputSize, outputSize))
    {
    }

    public (long, long) OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);
}
