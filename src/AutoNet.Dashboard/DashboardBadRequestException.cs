namespace AutoNet.Dashboard;

/// <summary>A request's parameter is not one the dashboard understands: a 400 naming the parameter and what it expects.</summary>
public sealed class DashboardBadRequestException : Exception
{
    public DashboardBadRequestException(string message)
        : base(message)
    {
    }

    public DashboardBadRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DashboardBadRequestException()
    {
    }
}
