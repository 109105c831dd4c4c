using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Tests.Onnx;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// A module the standard registry does not know, shaped like the blocks later converters handle (DARTS cells,
/// backbone blocks): two branches concatenated on channels, a squeeze-excitation gate (broadcast Mul) and a residual Add.
/// </summary>
public sealed class BranchBlock : Module
{
    public BranchBlock(long channels)
    {
        Left = RegisterModule("left", new Sequential(new Conv2d(channels, channels, 3, padding: 1), new ReLU()));
        Right = RegisterModule("right", new Conv2d(channels, channels, 1));
        Project = RegisterModule("project", new Conv2d(2 * channels, channels, 1));
    }

    public Sequential Left { get; }

    public Conv2d Right { get; }

    public Conv2d Project { get; }

    public override Tensor Forward(Tensor input)
    {
        using var scope = Torch.NewDisposeScope();
        using var left = Left.Forward(input);
        using var right = Right.Forward(input);
        using var both = Torch.Cat(new[] { left, right }, 1);
        using var pooled = Functional.AdaptiveAvgPool2d(both, (1, 1));
        using var gate = Functional.Sigmoid(pooled);
        using var gated = both.Mul(gate);
        using var projected = Project.Forward(gated);
        return (projected + input).MoveToOuterDisposeScope();
    }

    /// <summary>The converter a later layer would register for this block, using the builder's helpers.</summary>
    public static string Emit(Export.Onnx.OnnxConversionContext context, BranchBlock block, string input)
    {
        var g = context.Graph;
        var left = context.EmitChild("left", block.Left, input);
        var right = context.EmitChild("right", block.Right, input);
        var both = g.Concat(new[] { left, right }, axis: 1);
        var gate = g.Sigmoid(g.AddNode("GlobalAveragePool", new[] { both }));
        var projected = context.EmitChild("project", block.Project, g.Mul(both, gate));
        return g.Add(projected, input);
    }
}
