namespace AutoNet.Scheduling.Tests;

/// <summary>A test that needs a PostgreSQL server it can start: reported skipped, with the reason, where it cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
