namespace AutoNet.Store;

/// <summary>The database behind a store.</summary>
public enum StoreEngine
{
    Sqlite,
    Postgres,
}
