using AutoNet.Torch.Scalars;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Modules;

/// <summary>
/// torch.nn.BatchNorm2d (same parameters, buffers, keys and maths) for every AutoNet network, with two changes.
/// It counts batches with a scalar that cannot be finalized under the running operation (TorchSharp's BatchNorm
/// adds an implicit, finalizable 1 on every training batch; see <see cref="HeldScalars"/>). And a backbone can
/// freeze it: while <see cref="Frozen"/>, it normalises with its running statistics and leaves them untouched even
/// when the model is in training mode, the usual practice for the frozen part of a fine-tuned network (batch
/// statistics of a small new data set would otherwise drift the statistics the frozen weights were trained with).
/// TorchSharp's BatchNorm2d is sealed, hence a BatchNorm of our own.
/// </summary>
public sealed class FreezableBatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
{
    public bool Frozen { get; set; }

    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects a 4-D input (N, C, H, W), got {input.dim()}-D", nameof(input));
        }
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (Frozen || !training)
        {
            return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training: false, momentum ?? 0.0, eps);
        }

        // As PyTorch: momentum 0 (TorchSharp's stand-in for None) means a cumulative average over the batches seen.
        num_batches_tracked!.add_(HeldScalars.One, HeldScalars.One);
        var averagingFactor = momentum is null or 0 ? 1.0 / num_batches_tracked.item<long>() : momentum.Value;
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training: true, averagingFactor, eps);
    }
}
