using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Architecture;

/// <summary>The functional forward of every parameter-free leaf, shared by <see cref="ArchitectureModule"/> and <see cref="OpModule"/>.</summary>
public static class ArchOps
{
    /// <summary>Applies <paramref name="op"/> to <paramref name="input"/>; always returns a new tensor handle.</summary>
    public static Tensor Apply(ArchLeaf op, Tensor input, bool training, double scheduledDropPath = 0.0)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(input);
        return op switch
        {
            ActivationOp a => Activate(a.Function, input),
            PoolOp { Kind: PoolKind.Max } p => nn.functional.max_pool2d(input, [p.Kernel.H, p.Kernel.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W]),
            PoolOp p => nn.functional.avg_pool2d(input, [p.Kernel.H, p.Kernel.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W], count_include_pad: p.CountIncludePad),
            GlobalPoolOp { Kind: PoolKind.Max } => nn.functional.adaptive_max_pool2d(input, [1, 1]),
            GlobalPoolOp => nn.functional.adaptive_avg_pool2d(input, [1, 1]),
            FlattenOp => input.flatten(1),
            DropoutOp d => nn.functional.dropout(input, d.P, training),
            IdentityOp => input.alias(),
            ZeroOp z => Zero(input, z.Stride),
            CropOp c => input[.., .., TensorIndex.Slice(c.Top), TensorIndex.Slice(c.Left)],
            DropPathOp d => DropPath(input, d.P ?? scheduledDropPath, training),
            _ => throw new ArgumentException($"{op.GetType().Name} is not a one-input parameter-free operation", nameof(op)),
        };
    }

    /// <summary>Merges <paramref name="inputs"/> by <paramref name="merge"/>.</summary>
    public static Tensor Merge(MergeKind merge, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("a merge needs at least one input", nameof(inputs));
        }

        if (merge == MergeKind.Concat)
        {
            return torch.cat(inputs.ToArray(), 1);
        }

        var result = inputs[0].alias();
        for (var i = 1; i < inputs.Count; i++)
        {
            result = merge == MergeKind.Add ? result.add(inputs[i], HeldScalars.One) : result.mul(inputs[i]);
        }

        return result;
    }

    /// <summary>Stochastic depth in "row" mode, as torchvision.ops.stochastic_depth and DARTS' drop_path.</summary>
    public static Tensor DropPath(Tensor input, double p, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a drop-path probability is in [0, 1]");
        }

        if (!training || p == 0)
        {
            return input.alias();
        }

        var keep = 1.0 - p;
        using var mask = torch.empty([input.shape[0], 1, 1, 1], input.dtype, input.device).bernoulli_(keep);
        if (keep > 0)
        {
            using var keepScalar = keep.ToScalar();
            mask.div_(keepScalar);
        }

        return input.mul(mask);
    }

    private static Tensor Activate(Activation function, Tensor input)
    {
        var output = function switch
        {
            Activation.Relu => nn.functional.relu(input),
            Activation.Relu6 => nn.functional.relu6(input),
            Activation.Silu => nn.functional.silu(input),
            Activation.Sigmoid => input.sigmoid(),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, "unknown activation"),
        };
        if (ActivationTap.IsListening)
        {
            ActivationTap.Heard(function, output);
        }

        return output;
    }

    private static Tensor Zero(Tensor input, long stride)
    {
        if (stride == 1)
        {
            return input.mul(HeldScalars.Zero);
        }

        using var sampled = input[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
        return sampled.mul(HeldScalars.Zero);
    }
}
