using AutoNet.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Data.Tests;

// In the live-tensor collection so these tensors never move another test's count.
[Collection(LoaderLiveTensorCollection.Name)]
public sealed class ChannelsLastTests
{
    [Fact]
    public void Channels_last_keeps_the_shape_and_values_with_PyTorchs_NHWC_strides()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).view(2, 3, 4, 5);

        var nhwc = ChannelsLast.ToChannelsLast(images);

        Assert.Equal(images.shape, nhwc.shape);
        // What PyTorch's x.contiguous(memory_format=torch.channels_last).stride() gives for [2, 3, 4, 5].
        Assert.Equal(new long[] { 60, 1, 15, 3 }, nhwc.stride());
        Assert.True(images.Equals(nhwc));
        Assert.True(ChannelsLast.IsChannelsLast(nhwc));
        Assert.False(ChannelsLast.IsChannelsLast(images));
        Assert.False(nhwc.is_contiguous());
    }

    [Fact]
    public void A_single_channel_batch_is_both_layouts_as_in_PyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var grey = torch.zeros(2, 1, 4, 5);
        Assert.True(ChannelsLast.IsChannelsLast(grey));
        Assert.False(ChannelsLast.IsChannelsLast(torch.zeros(2, 3, 4)));
    }
}
