using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Weights;

/// <summary>weights_reference.py's network in TorchSharp, fields named as PyTorch's attributes.</summary>
internal sealed class WeightsTestNet : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's attribute names are the state-dict keys.
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;
#pragma warning restore IDE1006

    public WeightsTestNet(int outputs = 5)
        : base(nameof(WeightsTestNet))
    {
        conv = nn.Conv2d(3, 4, 3, padding: 1);
        bn = nn.BatchNorm2d(4);
        fc = nn.Linear(4, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return fc.forward(nn.functional.relu(bn.forward(conv.forward(input))).mean([2, 3])).MoveToOuterDisposeScope();
    }
}
