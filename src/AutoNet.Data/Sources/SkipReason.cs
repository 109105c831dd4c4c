namespace AutoNet.Data.Sources;

/// <summary>Why a scanned entry is not part of a listing.</summary>
public enum SkipReason
{
    /// <summary>A zero-byte file.</summary>
    EmptyFile,

    /// <summary>A file that cannot be opened for reading (permissions, a dangling link, an I/O error).</summary>
    Unreadable,

    /// <summary>A file name that is not valid UTF-8 and so cannot be named or opened reliably.</summary>
    NonUtf8Name,

    /// <summary>A directory link that leads back to a folder above it.</summary>
    SymlinkCycle,

    /// <summary>A directory link to a folder that was already scanned by another path.</summary>
    AlreadyScanned,

    /// <summary>A class folder with no images in it.</summary>
    EmptyClassFolder,

    /// <summary>A file whose extension is not .jpg, .jpeg, .png, .webp, .gif or .bmp.</summary>
    NotAnImageFile,

    /// <summary>An image outside any class folder.</summary>
    OutsideClassFolder,

    /// <summary>A manifest file that does not exist.</summary>
    MissingFile,

    /// <summary>A sample listed twice.</summary>
    Duplicate,
}
