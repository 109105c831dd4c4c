namespace AutoNet.Models;

/// <summary>
/// Size and cost of a model at one input resolution, computed analytically before it is built.
/// <see cref="Parameters"/> counts every trainable parameter element (what <c>Module.ParameterCount()</c> returns
/// for the built model; BN running statistics are buffers, not counted). <see cref="MultiplyAdds"/> counts
/// multiply-accumulate operations for one image in the convolutions and linear layers only: for a convolution,
/// out_channels × out_h × out_w × (in_channels / groups) × k_h × k_w; for a linear layer, in × out. Bias adds, BN,
/// activations, pooling, element-wise sums and concatenations are not counted (the convention of the NASNet/DARTS
/// papers' "multiply-adds"; FLOPs ≈ 2 × MultiplyAdds).
/// </summary>
public sealed record ModelComplexity(long Parameters, long MultiplyAdds);
