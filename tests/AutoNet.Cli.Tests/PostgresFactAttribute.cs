namespace AutoNet.Cli.Tests;

/// <summary>
/// A test against the PostgreSQL server at <c>AUTONET_TEST_POSTGRES</c> (./test.sh starts a throwaway one with
/// scripts/test-postgres.sh and sets it); without it the test is reported skipped with the reason, never passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "AUTONET_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"needs PostgreSQL: {Variable} is not set (./test.sh starts one with scripts/test-postgres.sh)";
        }
    }
}
