namespace AutoNet.Data.Decoding;

/// <summary>Why an image could not be decoded.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The file or buffer holds no bytes.</summary>
    Empty,

    /// <summary>The bytes carry no known image signature (e.g. a text file named .jpg).</summary>
    NotAnImage,

    /// <summary>An image format that is recognised but not decoded (TIFF).</summary>
    UnsupportedFormat,

    /// <summary>The image ends before its data does.</summary>
    Truncated,

    /// <summary>The image's width × height is above the decoder's limit (a possible decompression bomb).</summary>
    TooLarge,

    /// <summary>The data is damaged or not valid for its format.</summary>
    Corrupt,

    /// <summary>SkiaSharp's native library (the codecs) could not be loaded.</summary>
    CodecsUnavailable,

    /// <summary>The file could not be read.</summary>
    Unreadable,
}
