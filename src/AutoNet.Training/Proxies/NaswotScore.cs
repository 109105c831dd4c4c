using AutoNet.Models.Architecture;
using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Proxies;

/// <summary>
/// NASWOT (Mellor et al., "Neural Architecture Search without Training", 2021): each image of a mini-batch gets a
/// binary code, which of the network's rectified units it switches on; K[i, j] counts the units on which images i and
/// j agree, and the score is log |det K|. Networks whose units tell the images apart (codes far apart, K near
/// diagonal) score high, and those tend to train well. Read through <see cref="ActivationTap"/>, in training mode
/// (batch statistics, as the paper), without gradients.
/// </summary>
public static class NaswotScore
{
    public static double Compute(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[0] < 2)
        {
            throw new ArgumentException($"NASWOT scores a batch [N, C, H, W] of at least 2 images; got shape [{string.Join(", ", images.shape)}]", nameof(images));
        }

        using var scope = torch.NewDisposeScope();
        var count = images.shape[0];
        var kernel = torch.zeros([count, count], ScalarType.Float64);
        var heard = 0;
        model.train();
        using (torch.no_grad())
        using (ActivationTap.Listen((function, output) =>
        {
            if (function is not (Activation.Relu or Activation.Relu6))
            {
                return;
            }

            using var inner = torch.NewDisposeScope();
            var code = output.flatten(1).gt(HeldScalars.Zero);
            var on = code.to_type(ScalarType.Float32);
            var off = code.logical_not().to_type(ScalarType.Float32);
            // Agreements on "on" plus agreements on "off": the unit count minus the Hamming distance of the codes.
            var agreements = on.mm(on.t()).add_(off.mm(off.t()), HeldScalars.One);
            kernel.add_(agreements.to_type(ScalarType.Float64), HeldScalars.One);
            heard++;
        }))
        {
            using var _ = model.forward(images);
        }

        if (heard == 0)
        {
            return double.NaN;
        }

        var (_, logAbsDet) = torch.linalg.slogdet(kernel);
        return logAbsDet.item<double>();
    }
}
