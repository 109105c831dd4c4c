namespace AutoNet.Store;

/// <summary>The database behind a store.</summary>
public enum StoreEngine
{
    /// <summary>One SQLite file (WAL): an embedded store.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: many machines.</summary>
    Postgres,

    /// <summary>One LiteDB file in shared mode: an embedded store.</summary>
    LiteDb,
}
