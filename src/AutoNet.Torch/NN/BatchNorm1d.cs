namespace AutoNet.Torch.NN;

/// <summary>Batch normalisation over (N, C) or (N, C, L) inputs, as torch.nn.BatchNorm1d.</summary>
public sealed class BatchNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    ScalarType dtype = ScalarType.Float32, Device? device = null)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim is not (2 or 3))
        {
            throw new ArgumentException($"BatchNorm1d expects a 2-D or 3-D input (N, C[, L]), got {input.Dim}-D", nameof(input));
        }
    }
}
