namespace AutoNet.Models.Transfer;

/// <summary>The new classifier on a transferred feature extractor (transfer.json's <c>head</c>).</summary>
public enum TransferHeadKind
{
    /// <summary>Dropout and one linear layer on the pooled features.</summary>
    Linear,

    /// <summary>Linear, ReLU, dropout, linear on the pooled features.</summary>
    Mlp,

    /// <summary>A searched normal cell on the last feature map, then pooling, dropout and a linear layer.</summary>
    Cell,
}
