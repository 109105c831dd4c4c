using AutoNet.Torch.Scalars;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Proxies;

/// <summary>
/// Fresh weights for a network about to be scored, drawn from a generator of its own: torch's global generator is
/// shared by every trial training in this process, so weights drawn from it would depend on what trains beside the
/// scorer, and a seeded search would not score the same twice. Convolution and linear weights are He-normal
/// (fan in), biases zero, batch-norm scales one — the initialisation the proxies' papers score.
/// </summary>
public static class ProxyInitialization
{
    public static void Apply(nn.Module model, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            if (parameter.dim() > 1)
            {
                var fanIn = parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                using var scale = Math.Sqrt(2.0 / fanIn).ToScalar();
                var drawn = torch.randn(parameter.shape, parameter.dtype, parameter.device, generator: generator).mul_(scale);
                parameter.copy_(drawn);
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else
            {
                parameter.fill_(HeldScalars.One);
            }
        }
    }
}
