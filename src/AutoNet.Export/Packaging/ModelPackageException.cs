namespace AutoNet.Export.Packaging;

/// <summary>A model package (or one of its files) that cannot be read, written or rebuilt; the message names the file and field.</summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException(string message)
        : base(message)
    {
    }

    public ModelPackageException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ModelPackageException()
    {
    }
}
