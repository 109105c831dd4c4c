using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Models.Backbones;

/// <summary>
/// torch.nn.BatchNorm2d (same parameters, buffers, keys and maths) that a backbone can freeze: while
/// <see cref="Frozen"/>, it normalises with its running statistics and leaves them untouched even when the model
/// is in training mode, which is the usual practice for the frozen part of a fine-tuned network (batch statistics
/// of a small new data set would otherwise drift the statistics the frozen weights were trained with).
/// </summary>
public sealed class FreezableBatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1)
    : BatchNorm(numFeatures, eps, momentum, affine: true, trackRunningStats: true, ScalarType.Float32, device: null)
{
    public bool Frozen { get; set; }

    protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects a 4-D input (N, C, H, W), got {input.Dim}-D", nameof(input));
        }
    }

    public override Tensor Forward(Tensor input)
    {
        if (!Frozen)
        {
            return base.Forward(input);
        }

        CheckInputDim(input);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: false, Momentum ?? 0.0, Eps);
    }
}
