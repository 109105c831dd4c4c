namespace AutoNet.Torch.NN;

/// <summary>Layer normalisation over the last dims, as torch.nn.LayerNorm (weight ones, bias zeros).</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        NormalizedShape = (long[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Torch.Ones(NormalizedShape, dtype, device));
            Bias = RegisterParameter("bias", Torch.Zeros(NormalizedShape, dtype, device));
        }
    }

    public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this(new[] { normalizedShape }, eps, elementwiseAffine)
    {
    }

    public long[] NormalizedShape { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
}
