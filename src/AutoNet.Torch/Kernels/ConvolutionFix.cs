namespace AutoNet.Torch.Kernels;

/// <summary>What the convolution check changed.</summary>
public enum ConvolutionFix
{
    /// <summary>Nothing: the default kernels are right.</summary>
    None,

    /// <summary>oneDNN capped at SSE4.1 from the start, because an earlier process found its vector kernels wrong here.</summary>
    OneDnnCapped,

    /// <summary>oneDNN switched off in this process (libtorch's own kernels), because its kernels failed the check.</summary>
    OneDnnOff,
}
