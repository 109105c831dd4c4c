namespace AutoNet.Data.Decoding;

/// <summary>How many channels the decoded cache keeps.</summary>
public enum ColorMode
{
    /// <summary>Chosen from the data: RGB when most images are colour (RGB, RGBA, palette), grey otherwise.</summary>
    Auto,

    /// <summary>One channel; colour images are converted with Pillow's luma weights (ITU-R 601-2).</summary>
    Grayscale,

    /// <summary>Three channels; grey images are repeated into R, G and B.</summary>
    Rgb,
}
