using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torch.nn.BatchNorm2d (same parameters, buffers, keys and maths) that a backbone can freeze: while
/// <see cref="Frozen"/>, it normalises with its running statistics and leaves them untouched even when the model
/// is in training mode, which is the usual practice for the frozen part of a fine-tuned network (batch statistics
/// of a small new data set would otherwise drift the statistics the frozen weights were trained with). TorchSharp's
/// BatchNorm2d is sealed, hence a BatchNorm of our own.
/// </summary>
public sealed class FreezableBatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1)
    : BatchNorm(numFeatures, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
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
        if (!Frozen)
        {
            return base.forward(input);
        }

        ValidateInputDimensions(input);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training: false, momentum ?? 0.0, eps);
    }
}
