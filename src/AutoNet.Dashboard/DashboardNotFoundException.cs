namespace AutoNet.Dashboard;

/// <summary>What a request asked for is not there (no store, no such experiment or trial, no image): a 404 with this message.</summary>
public sealed class DashboardNotFoundException : Exception
{
    public DashboardNotFoundException(string message)
        : base(message)
    {
    }

    public DashboardNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DashboardNotFoundException()
    {
    }
}
