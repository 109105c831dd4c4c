using AutoNet.Models.Architecture;
using AutoNet.Models.MacroCnn;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Tests.Architecture;

public sealed class ActivationTapTests
{
    // Two plain units (conv-BN-ReLU) and one residual unit (ReLU inside, ReLU after the sum): four rectifiers.
    private static MacroCnnNetwork Network() => new(new MacroCnnConfig(1, 10, [new(4, 2), new(6, 1, 3, Residual: true)]));

    [Fact]
    public void A_listener_hears_every_rectifier_of_a_forward_with_its_output()
    {
        using var network = Network();
        using var input = torch.randn(3, 1, 12, 12);
        var heard = new List<(Activation Function, long[] Shape, double Min)>();

        using (ActivationTap.Listen((function, output) => heard.Add((function, output.shape, output.min().item<float>()))))
        {
            using var _ = network.forward(input);
        }

        Assert.Equal(4, heard.Count);
        Assert.All(heard, h => Assert.Equal(Activation.Relu, h.Function));
        Assert.All(heard, h => Assert.True(h.Min >= 0));
        Assert.Equal([3L, 4, 12, 12], heard[0].Shape);
        Assert.Equal([3L, 6, 6, 6], heard[^1].Shape);
    }

    [Fact]
    public void Nothing_is_heard_outside_a_scope_and_a_closed_inner_scope_gives_the_outer_back()
    {
        using var network = Network();
        using var input = torch.randn(2, 1, 12, 12);
        var outer = 0;
        var inner = 0;

        using (ActivationTap.Listen((_, _) => outer++))
        {
            using (ActivationTap.Listen((_, _) => inner++))
            {
                network.forward(input).Dispose();
            }

            network.forward(input).Dispose();
        }

        network.forward(input).Dispose();
        Assert.Equal(4, inner);
        Assert.Equal(4, outer);
        Assert.False(ActivationTap.IsListening);
    }

    [Fact]
    public void A_forward_on_another_thread_is_not_heard()
    {
        using var network = Network();
        var heard = 0;

        using (ActivationTap.Listen((_, _) => heard++))
        {
            var other = new Thread(() =>
            {
                using var input = torch.randn(2, 1, 12, 12);
                network.forward(input).Dispose();
            });
            other.Start();
            other.Join();
        }

        Assert.Equal(0, heard);
    }
}
