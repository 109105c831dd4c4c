using AutoNet.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Cli.Prediction;

/// <summary>
/// A classifier scored as the trainer scores the test split when the test-time flip applies: the softmax
/// probabilities of the images and of their mirror, averaged. It returns their logarithm, so the softmax a scorer
/// applies gives those averaged probabilities back (they sum to one). It borrows the inner model; disposing the
/// wrapper disposes it too (a second dispose of the inner model is harmless).
/// </summary>
public sealed class FlipAveragedClassifier : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> inner;

    public FlipAveragedClassifier(nn.Module<Tensor, Tensor> inner)
        : base(nameof(FlipAveragedClassifier))
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = inner;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var probabilities = TestTimeAugmentation.FlipAverage(inner.forward, input);
        return probabilities.log().MoveToOuterDisposeScope();
    }
}
