using System.Reflection;
using Xunit.Sdk;

namespace AutoNet.Store.Tests;

/// <summary>Runs a contract theory against the SQLite engine.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreEngine.Sqlite]];
}
