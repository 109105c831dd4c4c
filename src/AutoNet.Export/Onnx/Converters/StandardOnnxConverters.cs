using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>
/// ONNX converters for AutoNet.Torch's standard layers, each emitting the layer's eval-mode forward: BatchNorm with
/// its running statistics, dropout and stochastic depth as identities. Parameters become initializers named by their
/// state_dict keys.
/// </summary>
public static class StandardOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .Register<Sequential>(EmitSequential)
            .Register<Conv2d>(EmitConv2d)
            .Register<BatchNorm>(EmitBatchNorm)
            .Register<Linear>(EmitLinear)
            .Register<ReLU>((c, _, x) => c.Graph.Relu(x))
            .Register<ReLU6>((c, _, x) => c.Graph.AddNode("Clip", new[] { x, c.Graph.AddScalar(c.ParameterName("min"), 0f), c.Graph.AddScalar(c.ParameterName("max"), 6f) }))
            .Register<Sigmoid>((c, _, x) => c.Graph.Sigmoid(x))
            .Register<Tanh>((c, _, x) => c.Graph.AddNode("Tanh", new[] { x }))
            .Register<SiLU>((c, _, x) => c.Graph.Mul(x, c.Graph.Sigmoid(x)))
            .Register<Hardsigmoid>((c, _, x) => HardSigmoid(c.Graph, x))
            .Register<Hardswish>(EmitHardswish)
            .Register<GELU>(EmitGelu)
            .Register<MaxPool2d>(EmitMaxPool2d)
            .Register<AvgPool2d>(EmitAvgPool2d)
            .Register<AdaptiveAvgPool2d>(EmitAdaptiveAvgPool2d)
            .Register<Flatten>(EmitFlatten)
            .Register<Identity>((_, _, x) => x)
            .Register<Dropout>((_, _, x) => x)
            .Register<Dropout2d>((_, _, x) => x)
            .Register<DropPath>((_, _, x) => x);
    }

    private static string EmitSequential(OnnxConversionContext context, Sequential sequential, string input)
    {
        var current = input;
        foreach (var (name, child) in sequential.NamedChildren())
        {
            current = context.EmitChild(name, child, current);
        }

        return current;
    }

    private static string EmitConv2d(OnnxConversionContext context, Conv2d conv, string input)
    {
        var g = context.Graph;
        var inputs = new List<string> { input, g.AddInitializer(context.ParameterName("weight"), conv.Weight) };
        if (conv.Bias is not null)
        {
            inputs.Add(g.AddInitializer(context.ParameterName("bias"), conv.Bias));
        }

        return g.AddNode("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", conv.KernelSize.Item1, conv.KernelSize.Item2),
            OnnxAttribute.Ints("strides", conv.Stride.Item1, conv.Stride.Item2),
            OnnxAttribute.Ints("pads", conv.Padding.Item1, conv.Padding.Item2, conv.Padding.Item1, conv.Padding.Item2),
            OnnxAttribute.Ints("dilations", conv.Dilation.Item1, conv.Dilation.Item2),
            OnnxAttribute.Int("group", conv.Groups));
    }

    private static string EmitBatchNorm(OnnxConversionContext context, BatchNorm norm, string input)
    {
        if (norm.RunningMean is null || norm.RunningVar is null)
        {
            throw new NotSupportedException(
                $"ONNX export: module '{context.ModulePath}' ({norm.GetType().Name}) tracks no running statistics, so in eval mode it normalises " +
                "with each batch's own statistics, which ONNX's BatchNormalization (inference) cannot express");
        }

        var g = context.Graph;
        var features = (int)norm.NumFeatures;
        var scale = norm.Weight is null ? g.AddInitializer(context.ParameterName("weight"), Enumerable.Repeat(1f, features).ToArray(), features)
            : g.AddInitializer(context.ParameterName("weight"), norm.Weight);
        var bias = norm.Bias is null ? g.AddInitializer(context.ParameterName("bias"), new float[features], features)
            : g.AddInitializer(context.ParameterName("bias"), norm.Bias);
        var mean = g.AddInitializer(context.ParameterName("running_mean"), norm.RunningMean);
        var variance = g.AddInitializer(context.ParameterName("running_var"), norm.RunningVar);
        return g.AddNode("BatchNormalization", new[] { input, scale, bias, mean, variance }, OnnxAttribute.Float("epsilon", (float)norm.Eps));
    }

    private static string EmitLinear(OnnxConversionContext context, Linear linear, string input)
    {
        var g = context.Graph;

        // Gemm is the canonical classifier op but takes 2-D inputs only; any other rank (or one we cannot prove)
        // gets MatMul + Add, which broadcasts over leading dims exactly as torch's linear does.
        if (g.RankOf(input) == 2)
        {
            var inputs = new List<string> { input, g.AddInitializer(context.ParameterName("weight"), linear.Weight) };
            if (linear.Bias is not null)
            {
                inputs.Add(g.AddInitializer(context.ParameterName("bias"), linear.Bias));
            }

            var output = g.AddNode("Gemm", inputs, OnnxAttribute.Int("transB", 1));
            g.SetRank(output, 2);
            return output;
        }

        using var transposed = linear.Weight.T();
        var product = g.AddNode("MatMul", new[] { input, g.AddInitializer(context.ParameterName("weight_t"), transposed) });
        return linear.Bias is null ? product : g.Add(product, g.AddInitializer(context.ParameterName("bias"), linear.Bias));
    }

    // relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1), which is HardSigmoid with alpha = 1/6 and beta = 1/2.
    private static string HardSigmoid(OnnxGraphBuilder g, string x) =>
        g.AddNode("HardSigmoid", new[] { x }, OnnxAttribute.Float("alpha", 1f / 6f), OnnxAttribute.Float("beta", 0.5f));

    private static string EmitHardswish(OnnxConversionContext context, Hardswish module, string input) =>
        context.Graph.Opset >= 14 ? context.Graph.AddNode("HardSwish", new[] { input }) : context.Graph.Mul(input, HardSigmoid(context.Graph, input));

    private static string EmitGelu(OnnxConversionContext context, GELU gelu, string x)
    {
        // Gelu became an ONNX op only in opset 20; below it, the formulas torch uses, op by op.
        var g = context.Graph;
        var half = g.AddScalar(context.ParameterName("half"), 0.5f);
        var one = g.AddScalar(context.ParameterName("one"), 1f);
        string inner;
        if (gelu.TanhApproximation)
        {
            // 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³)))
            var cube = g.Mul(g.Mul(x, x), x);
            var sum = g.Add(x, g.Mul(cube, g.AddScalar(context.ParameterName("coefficient"), 0.044715f)));
            var scaled = g.Mul(sum, g.AddScalar(context.ParameterName("sqrt_2_over_pi"), (float)Math.Sqrt(2 / Math.PI)));
            inner = g.AddNode("Tanh", new[] { scaled });
        }
        else
        {
            // 0.5 x (1 + erf(x / sqrt 2))
            inner = g.AddNode("Erf", new[] { g.Mul(x, g.AddScalar(context.ParameterName("inv_sqrt_2"), (float)(1 / Math.Sqrt(2)))) });
        }

        return g.Mul(g.Mul(x, g.Add(inner, one)), half);
    }

    private static string EmitMaxPool2d(OnnxConversionContext context, MaxPool2d pool, string input) =>
        context.Graph.AddNode("MaxPool", new[] { input },
            OnnxAttribute.Ints("kernel_shape", pool.KernelSize.Item1, pool.KernelSize.Item2),
            OnnxAttribute.Ints("strides", pool.Stride.Item1, pool.Stride.Item2),
            OnnxAttribute.Ints("pads", pool.Padding.Item1, pool.Padding.Item2, pool.Padding.Item1, pool.Padding.Item2),
            OnnxAttribute.Ints("dilations", pool.Dilation.Item1, pool.Dilation.Item2),
            OnnxAttribute.Int("ceil_mode", pool.CeilMode ? 1 : 0));

    private static string EmitAvgPool2d(OnnxConversionContext context, AvgPool2d pool, string input) =>
        context.Graph.AddNode("AveragePool", new[] { input },
            OnnxAttribute.Ints("kernel_shape", pool.KernelSize.Item1, pool.KernelSize.Item2),
            OnnxAttribute.Ints("strides", pool.Stride.Item1, pool.Stride.Item2),
            OnnxAttribute.Ints("pads", pool.Padding.Item1, pool.Padding.Item2, pool.Padding.Item1, pool.Padding.Item2),
            OnnxAttribute.Int("ceil_mode", pool.CeilMode ? 1 : 0),

            // torch counts padded zeros in the divisor by default; ONNX's default is not to.
            OnnxAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0));

    private static string EmitAdaptiveAvgPool2d(OnnxConversionContext context, AdaptiveAvgPool2d pool, string input)
    {
        if (pool.OutputSize != (1, 1))
        {
            // Other sizes depend on the input's spatial size, which a dynamic graph does not fix.
            throw new NotSupportedException(
                $"ONNX export: module '{context.ModulePath}' is AdaptiveAvgPool2d with output size {pool.OutputSize}; only (1, 1) (GlobalAveragePool) is supported");
        }

        return context.Graph.AddNode("GlobalAveragePool", new[] { input });
    }

    private static string EmitFlatten(OnnxConversionContext context, Flatten flatten, string input)
    {
        var g = context.Graph;
        var rank = g.RankOf(input);
        var start = flatten.StartDim < 0 && rank is { } r ? flatten.StartDim + r : flatten.StartDim;
        var endIsLast = flatten.EndDim == -1 || (rank is { } r2 && flatten.EndDim == r2 - 1);
        if (start < 0 || !endIsLast)
        {
            throw new NotSupportedException(
                $"ONNX export: module '{context.ModulePath}' is Flatten({flatten.StartDim}, {flatten.EndDim}); only flattening from a non-negative " +
                "start dim through the last dim is supported");
        }

        string output;
        if (start == 1)
        {
            output = g.AddNode("Flatten", new[] { input }, OnnxAttribute.Int("axis", 1));
        }
        else
        {
            // Reshape's 0 copies the input's size at that index: keep dims before start, merge the rest.
            var shape = Enumerable.Repeat(0L, (int)start).Append(-1L).ToArray();
            output = g.AddNode("Reshape", new[] { input, g.AddInitializer(context.ParameterName("shape"), shape, shape.Length) });
        }

        g.SetRank(output, (int)start + 1);
        return output;
    }
}
