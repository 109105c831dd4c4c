using static TorchSharp.torch;

namespace AutoNet.Models.Architecture;

/// <summary>A named parameter-free leaf as a module of its own (so named_modules lists it where PyTorch has a module).</summary>
public sealed class OpModule : nn.Module<Tensor, Tensor>
{
    private readonly DropPathSchedule? schedule;

    public OpModule(ArchLeaf op, DropPathSchedule? schedule = null)
        : base(op?.GetType().Name ?? nameof(OpModule))
    {
        ArgumentNullException.ThrowIfNull(op);
        Op = op;
        this.schedule = schedule;
    }

    public ArchLeaf Op { get; }

    public override Tensor forward(Tensor input) => ArchOps.Apply(Op, input, training, schedule?.Probability ?? 0.0);
}
