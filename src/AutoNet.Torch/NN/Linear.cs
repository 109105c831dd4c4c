namespace AutoNet.Torch.NN;

/// <summary>
/// y = x W^T + b, as torch.nn.Linear: weight [out, in], bias [out], initialised as PyTorch does
/// (kaiming_uniform_ with a = sqrt(5), bias uniform in ±1/sqrt(in)).
/// </summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Torch.Empty(new[] { outFeatures, inFeatures }, dtype, device));
        Bias = bias ? RegisterParameter("bias", Torch.Empty(new[] { outFeatures }, dtype, device)) : null;
        ResetParameters();
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            var bound = InFeatures > 0 ? 1 / Math.Sqrt(InFeatures) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
