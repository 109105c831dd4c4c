namespace AutoNet.Torch.Safetensors;

/// <summary>Tensors read from a safetensors file (CPU, owned by the caller) and the file's metadata.</summary>
public sealed class SafetensorsContent : IDisposable
{
    internal SafetensorsContent(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public Tensor this[string name] => Tensors[name];

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
