using AutoNet.Models.Genotypes;
using AutoNet.Models.Architecture;

namespace AutoNet.Models.Cells;

/// <summary>
/// The op registry: each name of <see cref="OpNames"/> to its module, as DARTS' operations.py OPS (channels in =
/// channels out = C), and to its analytic parameter and multiply-add count. Stride 2 is used on the reduction
/// cell's edges from the cell inputs; there skip_connect becomes a <see cref="FactorizedReduce"/>. Pools carry no
/// BN, as in DARTS' evaluation networks.
/// </summary>
public static class CellOps
{
    /// <summary>Builds op <paramref name="name"/> for <paramref name="channels"/> channels as a module (see <see cref="Describe"/>).</summary>
    public static ArchitectureModule Create(string name, long channels, long stride, bool affine = true) =>
        new(Describe(null, name, channels, stride, affine));

    /// <summary>The description of op <paramref name="op"/>, named <paramref name="name"/> (its state-dict key).</summary>
    public static ArchNode Describe(string? name, string op, long channels, long stride, bool affine = true)
    {
        CheckStride(stride);
        return op switch
        {
            OpNames.None => new ZeroOp(name, stride),
            OpNames.SkipConnect => stride == 1 ? new IdentityOp(name) : FactorizedReduce.Describe(name, channels, channels, affine),
            OpNames.AvgPool3x3 => new PoolOp(name, PoolKind.Avg, 3, stride, 1, CountIncludePad: false),
            OpNames.MaxPool3x3 => new PoolOp(name, PoolKind.Max, 3, stride, 1),
            OpNames.MaxPool5x5 => new PoolOp(name, PoolKind.Max, 5, stride, 2),
            OpNames.MaxPool7x7 => new PoolOp(name, PoolKind.Max, 7, stride, 3),
            OpNames.SepConv3x3 => SepConv.Describe(name, channels, channels, 3, stride, 1, affine),
            OpNames.SepConv5x5 => SepConv.Describe(name, channels, channels, 5, stride, 2, affine),
            OpNames.SepConv7x7 => SepConv.Describe(name, channels, channels, 7, stride, 3, affine),
            OpNames.DilConv3x3 => DilConv.Describe(name, channels, channels, 3, stride, 2, 2, affine),
            OpNames.DilConv5x5 => DilConv.Describe(name, channels, channels, 5, stride, 4, 2, affine),
            OpNames.Conv1x1 => ReLUConvBN.Describe(name, channels, channels, 1, stride, 0, affine),
            OpNames.Conv3x3 => ReLUConvBN.Describe(name, channels, channels, 3, stride, 1, affine),
            OpNames.Conv3x1x1x3 => FactorizedConv.Describe(name, channels, 3, stride, affine),
            OpNames.Conv7x1x1x7 => FactorizedConv.Describe(name, channels, 7, stride, affine),
            _ => throw new ArgumentException($"unknown op '{op}'; known ops: {string.Join(", ", OpNames.All)}", nameof(op)),
        };
    }

    /// <summary>Counts op <paramref name="name"/> on a <paramref name="size"/> input into <paramref name="counter"/>; returns the output size.</summary>
    public static (long H, long W) Count(string name, long channels, long stride, (long H, long W) size, ComplexityCounter counter, bool affine = true)
    {
        CheckStride(stride);
        var c = channels;
        switch (name)
        {
            case OpNames.None:
                return ((size.H + stride - 1) / stride, (size.W + stride - 1) / stride);
            case OpNames.SkipConnect when stride == 1:
                return size;
            case OpNames.SkipConnect:
                return CountFactorizedReduce(c, c, size, counter, affine);
            case OpNames.AvgPool3x3 or OpNames.MaxPool3x3:
                return Pool(size, 3, stride, 1);
            case OpNames.MaxPool5x5:
                return Pool(size, 5, stride, 2);
            case OpNames.MaxPool7x7:
                return Pool(size, 7, stride, 3);
            case OpNames.SepConv3x3 or OpNames.SepConv5x5 or OpNames.SepConv7x7:
            {
                var k = name == OpNames.SepConv3x3 ? 3 : name == OpNames.SepConv5x5 ? 5 : 7;
                var s = counter.Conv2d(c, c, size, k, stride, k / 2, groups: c);
                counter.Conv2d(c, c, s, 1);
                counter.BatchNorm2d(c, affine);
                s = counter.Conv2d(c, c, s, k, 1, k / 2, groups: c);
                counter.Conv2d(c, c, s, 1);
                counter.BatchNorm2d(c, affine);
                return s;
            }

            case OpNames.DilConv3x3 or OpNames.DilConv5x5:
            {
                var k = name == OpNames.DilConv3x3 ? 3 : 5;
                var s = counter.Conv2d(c, c, size, k, stride, k - 1, dilation: 2, groups: c);
                counter.Conv2d(c, c, s, 1);
                counter.BatchNorm2d(c, affine);
                return s;
            }

            case OpNames.Conv1x1 or OpNames.Conv3x3:
            {
                var k = name == OpNames.Conv1x1 ? 1 : 3;
                var s = counter.Conv2d(c, c, size, k, stride, k / 2);
                counter.BatchNorm2d(c, affine);
                return s;
            }

            case OpNames.Conv3x1x1x3 or OpNames.Conv7x1x1x7:
            {
                var k = name == OpNames.Conv3x1x1x3 ? 3 : 7;
                var s = counter.Conv2d(c, c, size, (1, k), (1, stride), (0, k / 2));
                s = counter.Conv2d(c, c, s, (k, 1), (stride, 1), (k / 2, 0));
                counter.BatchNorm2d(c, affine);
                return s;
            }

            default:
                throw new ArgumentException($"unknown op '{name}'; known ops: {string.Join(", ", OpNames.All)}", nameof(name));
        }
    }

    internal static (long H, long W) CountFactorizedReduce(long inChannels, long outChannels, (long H, long W) size, ComplexityCounter counter, bool affine = true)
    {
        if (size.H % 2 != 0 || size.W % 2 != 0)
        {
            throw new ArgumentException($"a factorized reduce needs an even height and width, got {size.H}x{size.W}", nameof(size));
        }

        var s = counter.Conv2d(inChannels, outChannels / 2, size, 1, 2);
        counter.Conv2d(inChannels, outChannels / 2, (size.H - 1, size.W - 1), 1, 2);
        counter.BatchNorm2d(outChannels, affine);
        return s;
    }

    private static (long H, long W) Pool((long H, long W) size, long kernel, long stride, long padding) =>
        (ComplexityCounter.OutputSize(size.H, kernel, stride, padding), ComplexityCounter.OutputSize(size.W, kernel, stride, padding));

    private static void CheckStride(long stride)
    {
        if (stride is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "cell ops take stride 1 or 2");
        }
    }
}
