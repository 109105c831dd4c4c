using AutoNet.Models.Architecture;

namespace AutoNet.Export.Onnx;

/// <summary>
/// The one hand-written ONNX converter of each leaf of the architecture vocabulary (Architecture/README.md), each
/// emitting the leaf's eval-mode forward: batch norm with its running statistics; dropout and drop-path as identities.
/// Weights become initializers named by their state-dict keys.
/// </summary>
public static class OnnxLeafConverters
{
    /// <summary>Emits <paramref name="leaf"/> (at state-dict path <paramref name="path"/>) reading <paramref name="input"/>; returns its output.</summary>
    public static string Emit(OnnxArchitectureEmitter emitter, ArchLeaf leaf, string input, string path)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        ArgumentNullException.ThrowIfNull(leaf);
        var g = emitter.Graph;
        string Name(string local) => path.Length == 0 ? local : path + "." + local;
        return leaf switch
        {
            Conv2dOp c => Conv(emitter, c, input, path),
            BatchNorm2dOp b => BatchNorm(emitter, b, input, path),
            LinearOp l => Linear(emitter, l, input, path),
            ActivationOp { Function: Activation.Relu } => g.Relu(input),
            ActivationOp { Function: Activation.Relu6 } => g.AddNode("Clip", [input, g.AddScalar(Name("min"), 0f), g.AddScalar(Name("max"), 6f)]),
            ActivationOp { Function: Activation.Silu } => g.Mul(input, g.Sigmoid(input)),
            ActivationOp { Function: Activation.Sigmoid } => g.Sigmoid(input),
            PoolOp { Kind: PoolKind.Max } p => g.AddNode("MaxPool", [input],
                OnnxAttribute.Ints("kernel_shape", p.Kernel.H, p.Kernel.W),
                OnnxAttribute.Ints("strides", p.Stride.H, p.Stride.W),
                OnnxAttribute.Ints("pads", p.Padding.H, p.Padding.W, p.Padding.H, p.Padding.W),
                OnnxAttribute.Int("ceil_mode", 0)),
            PoolOp p => g.AddNode("AveragePool", [input],
                OnnxAttribute.Ints("kernel_shape", p.Kernel.H, p.Kernel.W),
                OnnxAttribute.Ints("strides", p.Stride.H, p.Stride.W),
                OnnxAttribute.Ints("pads", p.Padding.H, p.Padding.W, p.Padding.H, p.Padding.W),
                OnnxAttribute.Int("ceil_mode", 0),

                // torch counts padded zeros in the divisor by default; ONNX's default is not to.
                OnnxAttribute.Int("count_include_pad", p.CountIncludePad ? 1 : 0)),
            GlobalPoolOp { Kind: PoolKind.Max } => g.AddNode("GlobalMaxPool", [input]),
            GlobalPoolOp => g.AddNode("GlobalAveragePool", [input]),
            FlattenOp => Flatten(g, input),
            DropoutOp or DropPathOp or IdentityOp => input,

            // torch's input * 0 (NaN and -0 propagate exactly as there), subsampled first on stride-2 edges.
            ZeroOp z => g.Mul(z.Stride == 1 ? input : Slice(g, input, Name("zero"), 0, 0, z.Stride), g.AddScalar(Name("zero"), 0f)),
            CropOp c => Slice(g, input, Name("crop"), c.Top, c.Left, 1),
            _ => throw new NotSupportedException($"ONNX export: '{path}' is a {leaf.GetType().Name}, which has no ONNX converter"),
        };
    }

    private static string Conv(OnnxArchitectureEmitter emitter, Conv2dOp conv, string input, string path)
    {
        var g = emitter.Graph;
        var inputs = new List<string> { input, g.AddInitializer(Key(path, "weight"), emitter.Weight(path, "weight")!) };
        if (conv.Bias)
        {
            inputs.Add(g.AddInitializer(Key(path, "bias"), emitter.Weight(path, "bias")!));
        }

        return g.AddNode("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", conv.Kernel.H, conv.Kernel.W),
            OnnxAttribute.Ints("strides", conv.Stride.H, conv.Stride.W),
            OnnxAttribute.Ints("pads", conv.Padding.H, conv.Padding.W, conv.Padding.H, conv.Padding.W),
            OnnxAttribute.Ints("dilations", conv.Dilation, conv.Dilation),
            OnnxAttribute.Int("group", conv.Groups));
    }

    private static string BatchNorm(OnnxArchitectureEmitter emitter, BatchNorm2dOp norm, string input, string path)
    {
        var g = emitter.Graph;
        var features = (int)norm.Features;
        var scale = norm.Affine ? g.AddInitializer(Key(path, "weight"), emitter.Weight(path, "weight")!)
            : g.AddInitializer(Key(path, "weight"), Enumerable.Repeat(1f, features).ToArray(), features);
        var bias = norm.Affine ? g.AddInitializer(Key(path, "bias"), emitter.Weight(path, "bias")!)
            : g.AddInitializer(Key(path, "bias"), new float[features], features);
        var mean = g.AddInitializer(Key(path, "running_mean"), emitter.Weight(path, "running_mean")!);
        var variance = g.AddInitializer(Key(path, "running_var"), emitter.Weight(path, "running_var")!);
        return g.AddNode("BatchNormalization", [input, scale, bias, mean, variance], OnnxAttribute.Float("epsilon", (float)norm.Eps));
    }

    private static string Linear(OnnxArchitectureEmitter emitter, LinearOp linear, string input, string path)
    {
        var g = emitter.Graph;
        var weight = emitter.Weight(path, "weight")!;

        // Gemm is the canonical classifier op but takes 2-D inputs only; any other rank (or one we cannot prove)
        // gets MatMul + Add, which broadcasts over leading dims exactly as torch's linear does.
        if (g.RankOf(input) == 2)
        {
            var inputs = new List<string> { input, g.AddInitializer(Key(path, "weight"), weight) };
            if (linear.Bias)
            {
                inputs.Add(g.AddInitializer(Key(path, "bias"), emitter.Weight(path, "bias")!));
            }

            var output = g.AddNode("Gemm", inputs, OnnxAttribute.Int("transB", 1));
            g.SetRank(output, 2);
            return output;
        }

        using var transposed = weight.t();
        var product = g.AddNode("MatMul", [input, g.AddInitializer(Key(path, "weight_t"), transposed)]);
        return linear.Bias ? g.Add(product, g.AddInitializer(Key(path, "bias"), emitter.Weight(path, "bias")!)) : product;
    }

    private static string Flatten(OnnxGraphBuilder g, string input)
    {
        var output = g.AddNode("Flatten", [input], OnnxAttribute.Int("axis", 1));
        g.SetRank(output, 2);
        return output;
    }

    /// <summary>x[:, :, top::step, left::step].</summary>
    private static string Slice(OnnxGraphBuilder g, string input, string hint, long top, long left, long step) =>
        g.AddNode("Slice",
        [
            input,
            g.AddInitializer(hint + "_starts", [top, left], 2),
            g.AddInitializer(hint + "_ends", [long.MaxValue, long.MaxValue], 2),
            g.AddInitializer(hint + "_axes", [2L, 3L], 2),
            g.AddInitializer(hint + "_steps", [step, step], 2),
        ]);

    private static string Key(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
