namespace AutoNet.Torch;

/// <summary>An error raised inside the native library (usually libtorch's own message), or a failure to load it.</summary>
public sealed class AutoNetNativeException : Exception
{
    public AutoNetNativeException()
    {
    }

    public AutoNetNativeException(string message)
        : base(message)
    {
    }

    public AutoNetNativeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
