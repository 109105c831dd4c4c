namespace AutoNet.Torch.NN;

/// <summary>Group normalisation, as torch.nn.GroupNorm (weight ones, bias zeros, one per channel).</summary>
public sealed class GroupNorm : Module
{
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (numGroups < 1 || numChannels % numGroups != 0)
        {
            throw new ArgumentException($"num_channels ({numChannels}) must be divisible by num_groups ({numGroups})", nameof(numGroups));
        }

        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        if (affine)
        {
            Weight = RegisterParameter("weight", Torch.Ones(new[] { numChannels }, dtype, device));
            Bias = RegisterParameter("bias", Torch.Zeros(new[] { numChannels }, dtype, device));
        }
    }

    public long NumGroups { get; }

    public long NumChannels { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);
}
