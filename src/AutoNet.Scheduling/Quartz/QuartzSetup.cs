using Microsoft.Data.Sqlite;
using Quartz;

namespace AutoNet.Scheduling.Quartz;

/// <summary>Builds a worker's Quartz scheduler over the persistent store.</summary>
internal static class QuartzSetup
{
    public static async Task<IScheduler> BuildAsync(TrialWorker worker, CancellationToken cancellationToken)
    {
        var options = worker.Options;
        var builder = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                s.InstanceId = options.WorkerId;
                s.IdleWaitTime = options.IdleWaitTime;
                // One acquisition may take a trigger for every slot, instead of one database round trip per trial.
                s.MaxBatchSize = options.Slots.Count;
                // A graceful stop cancels running trials (they checkpoint), and a cancelled job gets a recovery trigger.
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UseDefaultThreadPool(options.Slots.Count);
            q.UseJobFactory(new TrialJobFactory(worker));
            q.UsePersistentStore(store =>
            {
                if (options.Provider == QuartzProvider.Sqlite)
                {
                    store.UseSqlite(options.ConnectionString);
                }
                else
                {
                    store.UsePostgres(options.ConnectionString);
                }

                // Quartz 4.7 validates its schema at start-up and knows its own DDL for every engine, including the
                // columns later 4.x releases added; the published table scripts lag behind it. CreateIfMissing makes
                // the tables on first use in the experiment database and leaves existing ones alone.
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    // The experiment store writes to the same file: a busy or locked SQLite database is contention to
                    // retry at once, not an outage to sit out for the default 15 s.
                    o.IsTransient = e => e is SqliteException { SqliteErrorCode: 5 or 6 };
                    o.DbRetryInterval = TimeSpan.FromSeconds(1);
                });
                if (options.Clustered)
                {
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = options.ClusterCheckinMisfireThreshold;
                    });
                }
            });
        });
        return await builder.BuildScheduler(cancellationToken).ConfigureAwait(false);
    }
}
