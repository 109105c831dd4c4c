namespace AutoNet.Data.Decoding;

/// <summary>An image that could not be decoded; the message names the file (or source) and the reason.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImageDecodeException(string sourceName, ImageDecodeFailure reason, string detail, Exception? innerException = null)
        : base($"cannot decode image '{sourceName}': {Describe(reason)}: {detail}", innerException)
    {
        SourceName = sourceName;
        Reason = reason;
    }

    /// <summary>The file path or the name the caller gave the buffer.</summary>
    public string SourceName { get; } = string.Empty;

    public ImageDecodeFailure Reason { get; } = ImageDecodeFailure.Corrupt;

    private static string Describe(ImageDecodeFailure reason) => reason switch
    {
        ImageDecodeFailure.Empty => "the file is empty",
        ImageDecodeFailure.NotAnImage => "not an image",
        ImageDecodeFailure.UnsupportedFormat => "unsupported image format",
        ImageDecodeFailure.Truncated => "the image is truncated",
        ImageDecodeFailure.TooLarge => "the image is too large",
        ImageDecodeFailure.Corrupt => "the image is corrupt",
        ImageDecodeFailure.CodecsUnavailable => "image codecs are unavailable",
        ImageDecodeFailure.Unreadable => "the file cannot be read",
        _ => reason.ToString(),
    };
}
