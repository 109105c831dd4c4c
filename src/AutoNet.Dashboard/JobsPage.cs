using System.Text;
using AutoNet.Scheduling.Jobs;
using AutoNet.Store;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AutoNet.Dashboard;

/// <summary>
/// Hangfire's own dashboard of the trial jobs, read-only, under <c>/jobs</c>: for a PostgreSQL store, whose job queue
/// every machine shares. An embedded store's queue lives in the memory of the one process that searches, out of any
/// other process's reach, and the page says so.
/// </summary>
internal static class JobsPage
{
    public const string Path = "/jobs";

    /// <summary>Hangfire's page polls its counters with a POST; that one read is let through the read-only guard.</summary>
    public const string StatsPath = "/jobs/stats";

    public static void AddServices(IServiceCollection services, DashboardOptions options)
    {
        if (Storage(options) is { } storage)
        {
            services.AddHangfire(configuration => configuration.UseStorage(storage));
        }
    }

    public static void Map(WebApplication app, DashboardOptions options)
    {
        if (!ExperimentStore.IsPostgres(options.Store))
        {
            app.MapMethods(Path, ["GET", "HEAD"], async context =>
            {
                var body = Encoding.UTF8.GetBytes(MessagePage.Render("Trial jobs",
                    "This store is embedded (a file), so its trial jobs queue in the memory of the one process that searches on it, " +
                    "which no other process can read. The experiments' pages show every trial's state from the store. " +
                    "Hangfire's jobs page is here for a PostgreSQL store, whose queue every machine shares.", isError: false));
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength = body.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                }
            });
            return;
        }

        app.UseHangfireDashboard(Path, new Hangfire.DashboardOptions
        {
            IsReadOnlyFunc = _ => true,
            // The dashboard's own guard has already checked the Host and the token; Hangfire's default would refuse any non-local request.
            Authorization = [new AlreadyGuarded()],
            AsyncAuthorization = [],
            DisplayStorageConnectionString = false,
            AppPath = "/",
            DashboardTitle = "AutoNet trial jobs",
        }, app.Services.GetRequiredService<JobStorage>());
    }

    private static JobStorage? Storage(DashboardOptions options)
    {
        if (!ExperimentStore.IsPostgres(options.Store))
        {
            return null;
        }

        // A read-only session: the page cannot change a job even if Hangfire tried.
        var builder = new NpgsqlConnectionStringBuilder(ExperimentStore.ToKeywords(options.Store));
        builder.Options = string.Join(' ', new[] { builder.Options, "-c default_transaction_read_only=on" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return TrialJobStorage.Postgres(builder.ConnectionString, readOnly: true);
    }

    private sealed class AlreadyGuarded : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
