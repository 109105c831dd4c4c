using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Proxies;

/// <summary>
/// SynFlow (Tanaka et al. 2020) as a zero-cost proxy (Abdelfattah et al. 2021): every weight replaced by its absolute
/// value, an all-ones input, R = the sum of the outputs, score = Σ |θ · ∂R/∂θ| over all parameters. No data is read.
/// In double precision and evaluation mode (batch norm as the identity of its fresh statistics), since the product
/// over layers overflows single precision on deep networks. The natural log of the sum is returned, to keep the
/// scores of very different depths in one range; the model's weights are left changed (it is a throw-away copy).
/// </summary>
public static class SynflowScore
{
    public static double Compute(nn.Module<Tensor, Tensor> model, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"SynFlow needs the shape of one input ([C, H, W] for an image); got [{string.Join(", ", inputShape)}]", nameof(inputShape));
        }

        using var scope = torch.NewDisposeScope();
        model.eval();
        model.to(ScalarType.Float64);
        using (torch.no_grad())
        {
            foreach (var parameter in model.parameters())
            {
                parameter.abs_();
            }
        }

        model.zero_grad();
        var input = torch.ones([1, .. inputShape], ScalarType.Float64);
        var output = model.forward(input);
        output.sum().backward();
        var total = 0.0;
        foreach (var parameter in model.parameters())
        {
            if (parameter.grad is { } gradient)
            {
                total += parameter.mul(gradient).abs_().sum().item<double>();
            }
        }

        return total > 0 ? Math.Log(total) : double.NaN;
    }
}
