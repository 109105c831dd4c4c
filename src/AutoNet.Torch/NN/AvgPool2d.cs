namespace AutoNet.Torch.NN;

/// <summary>2-D average pooling, as torch.nn.AvgPool2d; the stride defaults to the kernel size.</summary>
public sealed class AvgPool2d((long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
    bool ceilMode = false, bool countIncludePad = true) : Module
{
    public AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad)
    {
    }

    public (long, long) KernelSize { get; } = kernelSize;

    public (long, long) Stride { get; } = stride ?? kernelSize;

    public (long, long) Padding { get; } = padding ?? (0, 0);

    public bool CeilMode { get; } = ceilMode;

    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);
}
