namespace AutoNet.Torch.NN;

/// <summary>Batch normalisation over (N, C, H, W) inputs, as torch.nn.BatchNorm2d.</summary>
public sealed class BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    ScalarType dtype = ScalarType.Float32, Device? device = null)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects a 4-D input (N, C, H, W), got {input.Dim}-D", nameof(input));
        }
    }
}
