using System.Reflection;
using Xunit.Sdk;

namespace AutoNet.Store.Tests;

/// <summary>
/// Runs a contract theory against PostgreSQL at <c>AUTONET_TEST_POSTGRES</c> (./test.sh starts a throwaway
/// server and sets it); without it the case is reported skipped, never passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public const string Variable = "AUTONET_TEST_POSTGRES";

    public PostgresDataAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"needs PostgreSQL: {Variable} is not set (./test.sh starts one with scripts/test-postgres.sh)";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreEngine.Postgres]];
}
