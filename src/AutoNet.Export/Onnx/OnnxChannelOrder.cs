namespace AutoNet.Export.Onnx;

/// <summary>The order of the input's channels, as the exported model expects them.</summary>
public enum OnnxChannelOrder
{
    Rgb,
    Bgr,
    Grayscale,
}
