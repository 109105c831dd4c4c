using System.Data.Common;
using Dapper;

namespace AutoNet.Store.Sql;

/// <summary>
/// The Quartz.NET job tables earlier AutoNet versions kept beside the store. Trials now run as Hangfire jobs, and the
/// jobs a search still needs are dispatched again from the store's trial states when it resumes, so these rows carry
/// nothing: a store opened by this version loses AutoNet's rows from them, and the tables themselves once no other
/// scheduler (another application sharing a PostgreSQL schema) has rows left in them.
/// </summary>
internal static class LegacyJobTables
{
    /// <summary>The Quartz scheduler name every AutoNet worker used.</summary>
    public const string SchedulerName = "autonet";

    // Referencing tables first, so a drop never trips a foreign key.
    private static readonly string[] Names =
    [
        "qrtz_fired_triggers", "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_cron_triggers", "qrtz_blob_triggers",
        "qrtz_triggers", "qrtz_job_details", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_locks",
    ];

    /// <summary>Whether a table name is one of Quartz's (any case: SQLite kept Quartz's upper-case names).</summary>
    public static bool IsLegacy(string table) => Names.Contains(table, StringComparer.OrdinalIgnoreCase);

    /// <summary>Removes AutoNet's Quartz rows, then the tables when nothing else is in them; returns the tables dropped.</summary>
    public static async Task<IReadOnlyList<string>> RemoveAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var present = Names.Where(n => tables.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        var emptied = true;
        foreach (var table in present)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM {table} WHERE sched_name = @Name", new { Name = SchedulerName }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            emptied &= await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM {table}", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0;
        }

        if (!emptied)
        {
            return [];
        }

        foreach (var table in present)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE {table}", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return present;
    }
}
