using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>Stochastic depth ("row" mode, torchvision.ops.StochasticDepth): drops whole samples of a residual branch in training; identity in eval. TorchSharp has no module for it.</summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    public DropPath(double p = 0.0)
        : base("StochasticDepth")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        P = p;
    }

    public double P { get; }

    public override Tensor forward(Tensor input) => ArchOps.DropPath(input, P, training);
}
