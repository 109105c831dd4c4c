namespace AutoNet.Training.Proxies;

/// <summary>
/// A score that ranks untrained networks by how well they may train, computed from one mini-batch (or none) in a
/// fraction of a second instead of minutes of training. Higher is better for every kind.
/// </summary>
public enum ZeroCostProxy
{
    /// <summary>
    /// NASWOT (Mellor et al. 2021): how differently the rectifiers of the untrained network respond to the images of
    /// one mini-batch — the log-determinant of the kernel of their binary activation codes.
    /// </summary>
    Naswot,

    /// <summary>
    /// SynFlow (Tanaka et al. 2020), summed over all parameters (Abdelfattah et al. 2021): the saliency
    /// |θ · ∂R/∂θ| of R, the output of the network with all weights made positive, fed an all-ones input. Data-free.
    /// </summary>
    Synflow,

    /// <summary>The parameter count: the baseline a proxy must beat.</summary>
    Parameters,

    /// <summary>Multiply-adds per image: the other size baseline.</summary>
    Flops,
}
