namespace AutoNet.Data.Decoding;

/// <summary>How an image whose aspect ratio differs from the target's is brought to the target size.</summary>
public enum ImageFit
{
    /// <summary>Resize so the image covers the target, then cut the centre (torchvision's Resize + CenterCrop).</summary>
    CenterCrop,

    /// <summary>Resize so the whole image fits inside the target, then pad the borders with black.</summary>
    Pad,

    /// <summary>Resize to the target exactly, changing the aspect ratio.</summary>
    Stretch,
}
