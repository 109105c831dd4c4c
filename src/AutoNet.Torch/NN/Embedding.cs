namespace AutoNet.Torch.NN;

/// <summary>A lookup table, as torch.nn.Embedding: weight [num, dim] drawn from N(0, 1), the padding row zeroed.</summary>
public sealed class Embedding : Module
{
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (paddingIdx is { } p)
        {
            if (p < -numEmbeddings || p >= numEmbeddings)
            {
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"must be within [-{numEmbeddings}, {numEmbeddings})");
            }

            PaddingIdx = p < 0 ? p + numEmbeddings : p;
        }

        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", Torch.Empty(new[] { numEmbeddings, embeddingDim }, dtype, device));
        Init.Normal_(Weight);
        if (PaddingIdx is { } row)
        {
            using var noGrad = Torch.NoGrad();
            using var padding = Weight.Select(0, row);
            padding.Zero_();
        }
    }

    public long NumEmbeddings { get; }

    public long EmbeddingDim { get; }

    public long? PaddingIdx { get; }

    public Tensor Weight { get; }

    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx ?? -1);
}
