namespace AutoNet.Store;

/// <summary>What an artifact file is. Stored as its name.</summary>
public enum ArtifactKind
{
    Checkpoint,
    Onnx,
    Safetensors,
    PyTorch,
    ModelCard,
    Other,
}
