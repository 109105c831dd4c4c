using AutoNet.Models.Cells;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Onnx.Converters;

/// <summary>
/// ONNX converters for the cell search spaces (AutoNet.Models.Cells): every op of <see cref="CellOps"/>, the cells
/// and whole <see cref="CellNetwork"/>s. Each emits the eval-mode forward, so drop-path never appears.
/// </summary>
public static class CellOnnxConverters
{
    public static void RegisterAll(OnnxConverterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .Register<Zero>(EmitZero)
            .Register<FactorizedReduce>(EmitFactorizedReduce)
            .Register<ReLUConvBN>((c, m, x) => c.EmitChild("op", ModuleChildren.Get(m, "op"), x))
            .Register<SepConv>((c, m, x) => c.EmitChild("op", ModuleChildren.Get(m, "op"), x))
            .Register<DilConv>((c, m, x) => c.EmitChild("op", ModuleChildren.Get(m, "op"), x))
            .Register<Cell>((c, _, _) => throw new NotSupportedException(
                $"ONNX export: module '{c.ModulePath}' is a cell, which reads the two previous cells' outputs; export the CellNetwork holding it"))
            .Register<CellNetwork>(EmitCellNetwork);
    }

    /// <summary>The pooled features [N, FeatureCount] of <paramref name="network"/>: everything before dropout and the classifier.</summary>
    internal static string EmitFeatures(OnnxConversionContext context, CellNetwork network, string input)
    {
        var g = context.Graph;
        var s1 = context.EmitChild("stem", ModuleChildren.Get(network, "stem"), input);
        var s0 = s1;
        var cells = ModuleChildren.Get(network, "cells").NamedChildren().ToList();
        foreach (var (index, module) in cells)
        {
            var cell = (Cell)module;
            var next = context.Within("cells." + index, c => EmitCell(c, cell, s0, s1));
            (s0, s1) = (s1, next);
        }

        var pooled = context.EmitChild("global_pooling", ModuleChildren.Get(network, "global_pooling"), s1);
        var flat = g.AddNode("Flatten", new[] { pooled }, OnnxAttribute.Int("axis", 1));
        g.SetRank(flat, 2);
        return flat;
    }

    private static string EmitCellNetwork(OnnxConversionContext context, CellNetwork network, string input)
    {
        var features = EmitFeatures(context, network, input);
        var dropped = context.EmitChild("dropout", ModuleChildren.Get(network, "dropout"), features);
        return context.EmitChild("classifier", ModuleChildren.Get(network, "classifier"), dropped);
    }

    // As Cell.Forward: preprocess both inputs, each block sums its two edges, the output concatenates the cell's output states.
    internal static string EmitCell(OnnxConversionContext context, Cell cell, string s0, string s1)
    {
        var g = context.Graph;
        var states = new List<string>
        {
            context.EmitChild("preprocess0", ModuleChildren.Get(cell, "preprocess0"), s0),
            context.EmitChild("preprocess1", ModuleChildren.Get(cell, "preprocess1"), s1),
        };
        var ops = ModuleChildren.Get(cell, "_ops").Children().ToList();
        var blocks = cell.Genotype.Blocks;
        for (var k = 0; k < blocks.Count; k++)
        {
            var a = context.EmitChild($"_ops.{2 * k}", ops[2 * k], states[blocks[k].First.Input]);
            var b = context.EmitChild($"_ops.{(2 * k) + 1}", ops[(2 * k) + 1], states[blocks[k].Second.Input]);
            states.Add(g.Add(a, b));
        }

        var outputs = cell.Genotype.OutputStates.Select(s => states[s]).ToList();
        return outputs.Count == 1 ? g.Identity(outputs[0]) : g.Concat(outputs, axis: 1);
    }

    // torch's input * 0 (NaN and -0 propagate exactly as there), subsampled first on stride-2 edges.
    private static string EmitZero(OnnxConversionContext context, Zero zero, string input)
    {
        var g = context.Graph;
        var sampled = zero.Stride == 1 ? input : StridedSlice(context, input, start: 0, step: zero.Stride);
        return g.Mul(sampled, g.AddScalar(context.ParameterName("zero"), 0f));
    }

    private static string EmitFactorizedReduce(OnnxConversionContext context, FactorizedReduce reduce, string input)
    {
        var g = context.Graph;
        var x = g.Relu(input);
        var a = context.EmitChild("conv_1", ModuleChildren.Get(reduce, "conv_1"), x);
        var shifted = StridedSlice(context, x, start: 1, step: 1);
        var b = context.EmitChild("conv_2", ModuleChildren.Get(reduce, "conv_2"), shifted);
        return context.EmitChild("bn", ModuleChildren.Get(reduce, "bn"), g.Concat(new[] { a, b }, axis: 1));
    }

    /// <summary>x[:, :, start::step, start::step].</summary>
    private static string StridedSlice(OnnxConversionContext context, string input, long start, long step)
    {
        var g = context.Graph;
        return g.AddNode("Slice", new[]
        {
            input,
            g.AddInitializer(context.ParameterName("slice_starts"), new[] { start, start }, 2),
            g.AddInitializer(context.ParameterName("slice_ends"), new[] { long.MaxValue, long.MaxValue }, 2),
            g.AddInitializer(context.ParameterName("slice_axes"), new[] { 2L, 3L }, 2),
            g.AddInitializer(context.ParameterName("slice_steps"), new[] { step, step }, 2),
        });
    }
}
