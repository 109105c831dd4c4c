using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch.Optim;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>.</summary>
public static class GradClipping
{
    /// <summary>
    /// Scales every gradient in place so their joint <paramref name="normType"/>-norm is at most
    /// <paramref name="maxNorm"/> (coefficient <c>maxNorm / (norm + 1e-6)</c>, capped at 1). Returns the norm before
    /// clipping; parameters without a gradient are ignored. Use <see cref="double.PositiveInfinity"/> for the max norm.
    /// </summary>
    public static unsafe double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "max norm must be >= 0");
        }

        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "norm type must be > 0 (or infinity)");
        }

        var list = parameters.ToArray();
        var handles = Tensor.Handles(list);
        double total;
        fixed (IntPtr* p = handles)
        {
            total = ATNOptim_clip_grad_norm(p, handles.Length, maxNorm, normType);
        }

        GC.KeepAlive(list);
        if (total == -1.0)
        {
            ThrowIfError();
        }

        return total;
    }

    /// <summary>Clamps every gradient element into [-<paramref name="clipValue"/>, <paramref name="clipValue"/>] in place.</summary>
    public static unsafe void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clip value must be >= 0");
        }

        var list = parameters.ToArray();
        var handles = Tensor.Handles(list);
        fixed (IntPtr* p = handles)
        {
            Check(ATNOptim_clip_grad_value(p, handles.Length, clipValue));
        }

        GC.KeepAlive(list);
    }
}
