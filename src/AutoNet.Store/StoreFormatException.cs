namespace AutoNet.Store;

/// <summary>The file or database is not an AutoNet store, or was written by a newer AutoNet; nothing in it was changed.</summary>
public sealed class StoreFormatException : ExperimentStoreException
{
    public StoreFormatException()
    {
    }

    public StoreFormatException(string message)
        : base(message)
    {
    }

    public StoreFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
