namespace AutoNet.Data.Decoding;

/// <summary>An image container format, as recognised from a file's first bytes (never from its extension).</summary>
public enum ImageFormat
{
    /// <summary>No known signature.</summary>
    Unknown = 0,

    /// <summary>JPEG (decoded).</summary>
    Jpeg = 1,

    /// <summary>PNG (decoded).</summary>
    Png = 2,

    /// <summary>GIF (its first frame is decoded).</summary>
    Gif = 100,

    /// <summary>Windows bitmap (decoded).</summary>
    Bmp = 101,

    /// <summary>TIFF (recognised, not decoded).</summary>
    Tiff = 102,

    /// <summary>WebP (decoded).</summary>
    WebP = 103,
}
