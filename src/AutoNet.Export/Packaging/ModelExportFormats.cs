namespace AutoNet.Export.Packaging;

/// <summary>
/// What a model package folder holds besides model.json and the model card (always written): weights.safetensors
/// (<see cref="Safetensors"/>, needed to load the package back), model.py (<see cref="PyTorch"/>, written with the
/// weights it loads) and model.onnx (<see cref="Onnx"/>).
/// </summary>
[Flags]
public enum ModelExportFormats
{
    Safetensors = 1,
    PyTorch = 2,
    Onnx = 4,
    All = Safetensors | PyTorch | Onnx,
}
