using static TorchSharp.torch;

namespace AutoNet.Data.Loading;

/// <summary>
/// Channels-last (NHWC) memory layout for image batches, which TorchSharp 0.107 lacks (it has no
/// <c>memory_format</c> on <c>contiguous</c> or <c>to</c>): the tensor keeps its [B, C, H, W] shape and its strides
/// become [H·W·C, 1, W·C, C], exactly what PyTorch's <c>x.contiguous(memory_format=torch.channels_last)</c> gives,
/// so libtorch's convolutions pick their channels-last kernels from the strides.
/// </summary>
public static class ChannelsLast
{
    /// <summary>A channels-last copy of a [B, C, H, W] tensor (or an alias when it already is one).</summary>
    public static Tensor ToChannelsLast(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"channels-last layout needs a batch [B, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        }

        if (IsChannelsLast(images))
        {
            return images.alias();
        }

        using var nhwc = images.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }

    /// <summary>Whether a [B, C, H, W] tensor is laid out densely as channels-last (PyTorch's <c>is_contiguous(channels_last)</c>).</summary>
    public static bool IsChannelsLast(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            return false;
        }

        var shape = images.shape;
        var stride = images.stride();
        // As PyTorch: a dimension of size 1 may have any stride.
        long expected = 1;
        foreach (var d in (ReadOnlySpan<int>)[1, 3, 2, 0])
        {
            if (shape[d] != 1 && stride[d] != expected)
            {
                return false;
            }

            expected *= shape[d];
        }

        return true;
    }
}
