using AutoNet.Models.MacroCnn;
using AutoNet.Training.OneShot;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.OneShot;

public sealed class SharedWeightsTests
{
    private static readonly MacroCnnConfig Shallow = new(1, 4, [new(6, 1), new(8, 1)]);
    private static readonly MacroCnnConfig Deeper = new(1, 4, [new(6, 1), new(8, 2)]);

    [Fact]
    public void A_step_is_sgd_with_momentum_and_decay_on_weights_only_and_carries_its_momentum()
    {
        using var weights = new SharedWeights();
        using var layer = nn.Linear(3, 2);
        var w0 = Values(layer.weight!);
        var b0 = Values(layer.bias!);

        for (var step = 0; step < 2; step++)
        {
            var bound = weights.Load(layer);
            layer.zero_grad();
            // ∂/∂W = 1 everywhere, ∂/∂b = 2.
            using (var loss = layer.weight!.sum().add(layer.bias!.sum().mul(2.ToScalar())))
            {
                loss.backward();
            }

            weights.Step(bound, learningRate: 0.1, momentum: 0.5, weightDecay: 0.01);
        }

        using var fresh = nn.Linear(3, 2);
        weights.Load(fresh);
        // Weights: v1 = 1 + 0.01 w0, w1 = w0 - 0.1 v1; v2 = 0.5 v1 + 1 + 0.01 w1, w2 = w1 - 0.1 v2.
        var expectedWeights = w0.Select(w =>
        {
            var v1 = 1 + (0.01 * w);
            var w1 = w - (0.1 * v1);
            var v2 = (0.5 * v1) + 1 + (0.01 * w1);
            return w1 - (0.1 * v2);
        });
        // Biases, no decay: w2 = b0 - 0.1 · 2 - 0.1 · (0.5 · 2 + 2).
        var expectedBiases = b0.Select(b => b - 0.2 - 0.3);
        Assert.Equal(expectedWeights, Values(fresh.weight!), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(expectedBiases, Values(fresh.bias!), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(2, weights.Count);
    }

    [Fact]
    public void Networks_that_have_a_layer_at_the_same_place_share_its_weights_and_keep_their_own_elsewhere()
    {
        using var weights = new SharedWeights();
        using var shallow = new MacroCnnNetwork(Shallow);
        using var deeper = new MacroCnnNetwork(Deeper);
        var deeperBefore = deeper.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));

        weights.Load(shallow);
        var shallowCount = weights.Count;
        weights.Load(deeper);

        var shallowValues = shallow.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        var shared = deeper.named_parameters().Where(p => shallowValues.ContainsKey(p.name)).ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, p => Assert.Equal(shallowValues[p.name], Values(p.parameter)));
        // The second stage's second block exists in the deeper network only: it keeps its own weights and joins the bank.
        var own = deeper.named_parameters().Where(p => !shallowValues.ContainsKey(p.name)).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, p => Assert.Equal(deeperBefore[p.name], Values(p.parameter)));
        Assert.Equal(shallowCount + own.Count, weights.Count);
    }

    [Fact]
    public void Another_kernel_size_or_dilation_at_the_same_place_is_a_weight_of_its_own_but_another_width_is_not()
    {
        using var three = new MacroCnnNetwork(new MacroCnnConfig(1, 4, [new(6, 1, KernelSize: 3)]));
        using var five = new MacroCnnNetwork(new MacroCnnConfig(1, 4, [new(6, 1, KernelSize: 5)]));
        using var wider = new MacroCnnNetwork(new MacroCnnConfig(1, 4, [new(8, 1, KernelSize: 3)]));
        using var plain = nn.Sequential(("conv", nn.Conv2d(4, 4, 3, padding: 1)));
        using var dilated = nn.Sequential(("conv", nn.Conv2d(4, 4, 3, padding: 2, dilation: 2)));

        var threeKeys = SharedWeights.KeysOf(three);
        Assert.Equal(threeKeys.Count, five.parameters().Count());
        Assert.Contains(SharedWeights.KeysOf(five), k => !threeKeys.Contains(k));
        Assert.Equal(threeKeys, SharedWeights.KeysOf(wider));
        var plainWeight = SharedWeights.KeysOf(plain).Single(k => k.StartsWith("conv.weight", StringComparison.Ordinal));
        Assert.DoesNotContain(plainWeight, SharedWeights.KeysOf(dilated));
    }

    [Fact]
    public void A_narrower_network_uses_the_leading_channels_and_a_wider_one_grows_the_shared_tensor_keeping_them()
    {
        using var weights = new SharedWeights();
        using var narrow = nn.Sequential(("conv", nn.Conv2d(2, 3, 3)));
        using var wide = nn.Sequential(("conv", nn.Conv2d(4, 5, 3)));
        var narrowWeight = Values(narrow.parameters().First());
        var wideBefore = wide.parameters().First().detach().clone();

        weights.Load(narrow);
        weights.Load(wide);

        var wideWeight = wide.parameters().First();
        using (var leading = wideWeight.narrow(0, 0, 3).narrow(1, 0, 2))
        {
            Assert.Equal(narrowWeight, Values(leading));
        }

        // Outside the narrow network's channels the wide one keeps its own initial values, now shared.
        using (var rest = wideWeight.narrow(0, 3, 2))
        using (var restBefore = wideBefore.narrow(0, 3, 2))
        {
            Assert.Equal(Values(restBefore), Values(rest));
        }

        using var again = nn.Sequential(("conv", nn.Conv2d(2, 3, 3)));
        weights.Load(again);
        Assert.Equal(narrowWeight, Values(again.parameters().First()));
        Assert.Equal(2, weights.Count);
        Assert.Equal((5 * 4 * 3 * 3) + 5, weights.ParameterCount);
        wideBefore.Dispose();
    }

    [Fact]
    public void Judging_a_network_registers_nothing_and_leaves_weights_no_path_trained_as_they_are()
    {
        using var weights = new SharedWeights();
        using var shallow = new MacroCnnNetwork(Shallow);
        using var deeper = new MacroCnnNetwork(Deeper);
        weights.Load(shallow);
        var before = deeper.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));

        var bound = weights.Load(deeper, register: false);

        Assert.Equal(shallow.parameters().Count(), weights.Count);
        Assert.Equal(shallow.parameters().Count(), bound.Count);
        var unseen = deeper.named_parameters().Where(p => !shallow.named_parameters().Any(s => s.name == p.name)).ToList();
        Assert.NotEmpty(unseen);
        Assert.All(unseen, p => Assert.Equal(before[p.name], Values(p.parameter)));
    }

    private static double[] Values(Tensor tensor)
    {
        using var copy = tensor.detach().cpu().contiguous();
        return [.. copy.data<float>().ToArray().Select(v => (double)v)];
    }
}
