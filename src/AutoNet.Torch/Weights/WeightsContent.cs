using static TorchSharp.torch;

namespace AutoNet.Torch.Weights;

/// <summary>Tensors read from a weights file (CPU, owned by this object until disposed) and the file's metadata.</summary>
public sealed class WeightsContent : IDisposable
{
    internal WeightsContent(Dictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name; a <see cref="Dictionary{TKey, TValue}"/> so it passes straight to <c>Module.load_state_dict</c>.</summary>
    public Dictionary<string, Tensor> Tensors { get; }

    /// <summary>The safetensors <c>__metadata__</c> strings (empty for PyTorch files).</summary>
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
