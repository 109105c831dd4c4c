namespace AutoNet.Torch.NN;

/// <summary>
/// 2-D convolution, as torch.nn.Conv2d: weight [out, in/groups, kh, kw] and bias [out], initialised as PyTorch
/// does (kaiming_uniform_ with a = sqrt(5), bias uniform in ±1/sqrt(fan_in)).
/// </summary>
public sealed class Conv2d : Module
{
    public Conv2d(long inChannels, long outChannels, (long, long) kernelSize, (long, long)? stride = null, (long, long)? padding = null,
        (long, long)? dilation = null, long groups = 1, bool bias = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"in_channels ({inChannels}) and out_channels ({outChannels}) must both be divisible by groups ({groups})", nameof(groups));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? (1, 1);
        Padding = padding ?? (0, 0);
        Dilation = dilation ?? (1, 1);
        Groups = groups;
        Weight = RegisterParameter("weight", Torch.Empty(new[] { outChannels, inChannels / groups, kernelSize.Item1, kernelSize.Item2 }, dtype, device));
        Bias = bias ? RegisterParameter("bias", Torch.Empty(new[] { outChannels }, dtype, device)) : null;
        ResetParameters();
    }

    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
        bool bias = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, dtype, device)
    {
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    public (long, long) KernelSize { get; }

    public (long, long) Stride { get; }

    public (long, long) Padding { get; }

    public (long, long) Dilation { get; }

    public long Groups { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
