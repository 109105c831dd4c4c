namespace AutoNet.Torch.Optim;

/// <summary>
/// An optimizer's resumable state: named tensors (momentum buffers, moment estimates) and named scalars (step
/// counts, group learning rates). Names are <c>state.{group}.{index}.{buffer}</c> and <c>group.{group}.{field}</c>.
/// The tensors are copies the caller owns (dispose them, or put them in a safetensors checkpoint).
/// </summary>
public sealed record OptimizerState(Dictionary<string, Tensor> Tensors, Dictionary<string, double> Scalars) : IDisposable
{
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
