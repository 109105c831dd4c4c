namespace AutoNet.Scheduling.Quartz;

/// <summary>The database engine that holds Quartz's job store (the experiment store's database).</summary>
public enum QuartzProvider
{
    /// <summary>One SQLite file on one machine (several worker processes may share it, clustered).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by workers on many machines, clustered.</summary>
    Postgres,
}
