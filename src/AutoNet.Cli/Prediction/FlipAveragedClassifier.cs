using AutoNet.Data.Augmentation;
using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// A classifier scored as the trainer scores the test split when the test-time flip applies: the softmax
/// probabilities of the images and of their mirror, averaged. It returns their logarithm, so the softmax a scorer
/// applies gives those averaged probabilities back (they sum to one). It borrows the inner model; disposing the
/// wrapper disposes it too (a second dispose of the inner model is harmless).
/// </summary>
public sealed class FlipAveragedClassifier : Module
{
    private readonly Module inner;

    public FlipAveragedClassifier(Module inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = RegisterModule("inner", inner);
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = AutoNet.Torch.Torch.NewDisposeScope();
        var probabilities = TestTimeAugmentation.FlipAverage(inner.Forward, input);
        return probabilities.Log().MoveToOuterDisposeScope();
    }
}
