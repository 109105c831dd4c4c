using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

public sealed class ReLUTests
{
    [Fact]
    public void Inplace_relu_overwrites_its_input_and_gives_the_same_values()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(new float[] { -2, -0.5f, 0, 1.5f });
        var copy = x.Clone();
        var outOfPlace = new ReLU().Forward(copy);
        Assert.Equal(new float[] { -2, -0.5f, 0, 1.5f }, copy.ToArray<float>());

        var inPlace = new ReLU(inplace: true).Forward(x);
        Assert.Equal(new float[] { 0, 0, 0, 1.5f }, x.ToArray<float>());
        Assert.True(inPlace.Equal(outOfPlace));
    }

    [Fact]
    public void Inplace_relu_after_batch_norm_backpropagates_like_the_out_of_place_one()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(11);
        var input = Torch.Randn(new long[] { 4, 3, 5, 5 });
        Tensor GradientWith(bool inplace)
        {
            Torch.ManualSeed(12);
            using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(inplace));
            var x = input.Clone().RequiresGrad_();
            model.Forward(x).Sum().Backward();
            return x.Grad!;
        }

        Assert.True(GradientWith(true).AllClose(GradientWith(false), 1e-6, 1e-7));
    }
}
