namespace AutoNet.Dashboard.Tests;

/// <summary>The test classes that share one searched store and its dashboard (the searches take a minute).</summary>
[CollectionDefinition(Name)]
public sealed class SearchedStoreCollection : ICollectionFixture<SearchedStoreFixture>
{
    public const string Name = "searched store";
}
