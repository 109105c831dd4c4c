namespace AutoNet.Store;

/// <summary>A store operation that cannot be done as asked (unknown experiment or trial, duplicate name, ...).</summary>
public class ExperimentStoreException : Exception
{
    public ExperimentStoreException()
    {
    }

    public ExperimentStoreException(string message)
        : base(message)
    {
    }

    public ExperimentStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
