using System.Reflection;
using Xunit.Sdk;

namespace AutoNet.Store.Tests;

/// <summary>Runs a contract theory against the LiteDB engine.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LiteDbDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreEngine.LiteDb]];
}
