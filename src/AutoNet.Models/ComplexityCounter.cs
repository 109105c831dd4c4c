namespace AutoNet.Models;

/// <summary>Accumulates parameters and multiply-adds layer by layer, tracking the spatial size (see <see cref="ModelComplexity"/>).</summary>
public sealed class ComplexityCounter
{
    public long Parameters { get; private set; }

    public long MultiplyAdds { get; private set; }

    public ModelComplexity Result => new(Parameters, MultiplyAdds);

    /// <summary>Counts a Conv2d and returns its output size; throws when the input is too small for the kernel.</summary>
    public (long H, long W) Conv2d(long inChannels, long outChannels, (long H, long W) size, (long H, long W) kernel, (long H, long W) stride,
        (long H, long W) padding, long dilation = 1, long groups = 1, bool bias = false)
    {
        var output = (H: OutputSize(size.H, kernel.H, stride.H, padding.H, dilation), W: OutputSize(size.W, kernel.W, stride.W, padding.W, dilation));
        if (output.H < 1 || output.W < 1)
        {
            throw new ArgumentException($"a {kernel.H}x{kernel.W} convolution (stride {stride.H}x{stride.W}) does not fit a {size.H}x{size.W} input", nameof(size));
        }

        Parameters += (outChannels * (inChannels / groups) * kernel.H * kernel.W) + (bias ? outChannels : 0);
        MultiplyAdds += outChannels * output.H * output.W * (inChannels / groups) * kernel.H * kernel.W;
        return output;
    }

    public (long H, long W) Conv2d(long inChannels, long outChannels, (long H, long W) size, long kernel, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = false) =>
        Conv2d(inChannels, outChannels, size, (kernel, kernel), (stride, stride), (padding, padding), dilation, groups, bias);

    public void BatchNorm2d(long channels, bool affine = true) => Parameters += affine ? 2 * channels : 0;

    public void Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        Parameters += (inFeatures * outFeatures) + (bias ? outFeatures : 0);
        MultiplyAdds += inFeatures * outFeatures;
    }

    /// <summary>The output size of a pooling window or convolution along one axis (floor mode, as PyTorch).</summary>
    public static long OutputSize(long size, long kernel, long stride, long padding, long dilation = 1) =>
        ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;
}
