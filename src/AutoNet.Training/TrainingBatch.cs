using AutoNet.Torch;

namespace AutoNet.Training;

/// <summary>One training batch on the device: normalised float images and int64 labels; disposing frees both.</summary>
internal sealed class TrainingBatch(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;

    public Tensor Labels { get; } = labels;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
