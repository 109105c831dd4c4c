namespace AutoNet.Models.MacroCnn;

/// <summary>
/// One stage of a macro-cnn: <paramref name="Depth"/> units of <paramref name="Width"/> channels with
/// <paramref name="KernelSize"/>×<paramref name="KernelSize"/> convolutions ("same" padding). A plain unit is
/// conv-BN-ReLU; a residual unit (<paramref name="Residual"/>) is conv-BN-ReLU-conv-BN plus a shortcut (identity,
/// or 1×1 conv-BN when width or resolution changes), then ReLU, as ResNet's basic block.
/// </summary>
public sealed record MacroCnnStage(int Width, int Depth, int KernelSize = 3, bool Residual = false);
