namespace AutoNet.Torch.NN;

/// <summary>2-D max pooling, as torch.nn.MaxPool2d; the stride defaults to the kernel size.</summary>
public sealed class MaxPool2d((long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
    (long, long)? dilation = null, bool ceilMode = false) : Module
{
    public MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode)
    {
    }

    public (long, long) KernelSize { get; } = kernelSize;

    public (long, long) Stride { get; } = stride ?? kernelSize;

    public (long, long) Padding { get; } = padding ?? (0, 0);

    public (long, long) Dilation { get; } = dilation ?? (1, 1);

    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}
