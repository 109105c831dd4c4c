using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoNet.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AutoNet.Dashboard;

/// <summary>
/// The pages (HTML shells whose script reads the API) and the JSON API. Every handler goes through <see cref="Answer"/>:
/// what is missing is a 404 that says what, a bad parameter a 400 that names it, anything else a 500 without a stack
/// trace (the trace goes to the server's standard error).
/// </summary>
internal sealed class DashboardRoutes(
    DashboardData data, TestImages images, SaliencyMaps saliency, TestPredictions predictions, LiveUpdates live, StoreConnection connection, EmbeddedAssets assets, CancellationToken stopping)
{
    public void Map(WebApplication app)
    {
        Get(app, "/", context => Page(context, "index.html", null));
        Get(app, "/compare", context => Page(context, "compare.html", null));
        Get(app, "/experiments/{name}", context => Page(context, "experiment.html",
            async ct => await data.ExperimentAsync(Name(context), ct).ConfigureAwait(false)));
        Get(app, "/experiments/{name}/trials/{number:long}", context => Page(context, "trial.html",
            async ct => await data.TrialAsync(Name(context), Number(context), ct).ConfigureAwait(false)));
        Get(app, "/assets/{file}", Asset);

        Get(app, "/api/experiments", context => Json(context, async ct => await data.ExperimentsAsync(ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}", context => Json(context, async ct => await data.ExperimentAsync(Name(context), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/trials", context => Json(context, async ct => await data.TrialPageAsync(Name(context), TrialQuery.Parse(context.Request.Query), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/trials.csv", Csv);
        Get(app, "/api/experiments/{name}/points", context => Json(context, async ct => await data.PointsAsync(Name(context), TrialQuery.Parse(context.Request.Query), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/curves", context => Json(context, async ct => await data.CurvesAsync(Name(context), TrialQuery.Parse(context.Request.Query), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/events", context => Answer(context, api: true, () => live.StreamAsync(context, Name(context), stopping)));
        Get(app, "/api/experiments/{name}/trials/{number:long}", context => Json(context, async ct => await data.TrialAsync(Name(context), Number(context), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/trials/{number:long}/images/{index:int}.png", context => TrialImage(context, images.Png));
        Get(app, "/api/experiments/{name}/trials/{number:long}/saliency/{index:int}.png", context => TrialImage(context, saliency.Png));
        Get(app, "/api/experiments/{name}/trials/{number:long}/cell.svg", CellSvg);
        Get(app, "/api/experiments/{name}/strategy", context => Json(context, async ct => await data.StrategyAsync(Name(context), ct).ConfigureAwait(false)));
        Get(app, "/api/experiments/{name}/trials/{number:long}/cell", CellImages);
        Get(app, "/api/compare", context => Json(context, async ct => await data.CompareAsync([.. context.Request.Query["name"].Select(n => n ?? "")], ct).ConfigureAwait(false)));
        app.MapFallback("{*path}", context => Answer(context, api: context.Request.Path.StartsWithSegments("/api"),
            () => throw new DashboardNotFoundException($"there is no page at {context.Request.Path}")));
    }

    private static readonly string[] ReadMethods = ["GET", "HEAD"];

    // HEAD is answered like GET without a body (the guard has already refused every other method).
    private static void Get(WebApplication app, string pattern, RequestDelegate handler) => app.MapMethods(pattern, ReadMethods, handler);

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static long Number(HttpContext context) => long.Parse((string)context.Request.RouteValues["number"]!, CultureInfo.InvariantCulture);

    private Task Page(HttpContext context, string page, Func<CancellationToken, Task<object>>? mustExist) => Answer(context, api: false, async () =>
    {
        if (mustExist is not null)
        {
            await mustExist(context.RequestAborted).ConfigureAwait(false);
        }

        await Send(context, "text/html; charset=utf-8", assets.Text(page)).ConfigureAwait(false);
    });

    private Task Asset(HttpContext context) => Answer(context, api: false, async () =>
    {
        var file = (string)context.Request.RouteValues["file"]!;
        if (!assets.TryGet(file, out var content))
        {
            throw new DashboardNotFoundException($"there is no asset named '{file}'");
        }

        context.Response.ContentType = EmbeddedAssets.ContentType(file);
        context.Response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    });

    private Task Json(HttpContext context, Func<CancellationToken, Task<object>> read) => Answer(context, api: true, async () =>
    {
        var value = await read(context.RequestAborted).ConfigureAwait(false);
        await Send(context, "application/json; charset=utf-8", JsonSerializer.Serialize(value, DashboardJson.Options)).ConfigureAwait(false);
    });

    private Task Csv(HttpContext context) => Answer(context, api: true, async () =>
    {
        var name = Name(context);
        var (labels, rows) = await data.AllRowsAsync(name, TrialQuery.Parse(context.Request.Query), context.RequestAborted).ConfigureAwait(false);
        var text = new StringBuilder();
        string[] header = [.. TrialRow.FixedColumns, "failureReason", .. labels];
        text.AppendLine(string.Join(',', header.Select(Field)));
        foreach (var row in rows)
        {
            var values = TrialRow.FixedColumns.Select(row.Value).Append(row.FailureReason).Concat(labels.Select(row.Value));
            text.AppendLine(string.Join(',', values.Select(v => v is null ? "" : Field(TrialQuery.Format(v)))));
        }

        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{safe}-trials.csv\"";
        await Send(context, "text/csv; charset=utf-8", text.ToString()).ConfigureAwait(false);
    });

    /// <summary>A PNG made from one test image of a trial (the image itself, or its saliency), named by index only.</summary>
    private Task TrialImage(HttpContext context, Func<Experiment, Trial, int, byte[]> render) => Answer(context, api: true, async () =>
    {
        var index = int.Parse((string)context.Request.RouteValues["index"]!, CultureInfo.InvariantCulture);
        var (experiment, trial) = await TrialOfAsync(context).ConfigureAwait(false);
        var png = await Task.Run(() => render(experiment, trial, index), context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        context.Response.Headers.CacheControl = "private, max-age=3600";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(png, context.RequestAborted).ConfigureAwait(false);
        }
    });

    private Task CellImages(HttpContext context) => Answer(context, api: true, async () =>
    {
        var trueClass = QueryInt(context, "true");
        var predicted = QueryInt(context, "predicted");
        var (experiment, trial) = await TrialOfAsync(context).ConfigureAwait(false);
        var cell = await Task.Run(() => predictions.Cell(experiment, trial, trueClass, predicted), context.RequestAborted).ConfigureAwait(false);
        await Send(context, "application/json; charset=utf-8", JsonSerializer.Serialize(cell, DashboardJson.Options)).ConfigureAwait(false);
    });

    private static int QueryInt(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DashboardBadRequestException($"{name}={context.Request.Query[name]}: expected a class number (0, 1, 2, ...)");

    private Task CellSvg(HttpContext context) => Answer(context, api: true, async () =>
    {
        var (_, trial) = await TrialOfAsync(context).ConfigureAwait(false);
        var svg = await Task.Run(() => CellDiagrams.Svg(trial), context.RequestAborted).ConfigureAwait(false);
        await Send(context, "image/svg+xml; charset=utf-8", svg).ConfigureAwait(false);
    });

    /// <summary>The experiment and trial a route names, or a 404 saying which is missing.</summary>
    private async Task<(Experiment Experiment, Trial Trial)> TrialOfAsync(HttpContext context)
    {
        var name = Name(context);
        var number = Number(context);
        var snapshot = await data.SnapshotAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (!snapshot.Ids.TryGetValue(number, out var id))
        {
            throw new DashboardNotFoundException($"experiment '{name}' has no trial {number}");
        }

        var store = await connection.GetAsync(context.RequestAborted).ConfigureAwait(false);
        var trial = await store.GetTrialAsync(id, context.RequestAborted).ConfigureAwait(false)
            ?? throw new DashboardNotFoundException($"trial {number} of '{name}' is no longer in the store");
        return (snapshot.Experiment, trial);
    }

    private static async Task Send(HttpContext context, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task Answer(HttpContext context, bool api, Func<Task> handle)
    {
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                DashboardNotFoundException => (StatusCodes.Status404NotFound, e.Message),
                DashboardBadRequestException => (StatusCodes.Status400BadRequest, e.Message),
                StoreFormatException or ExperimentStoreException => (StatusCodes.Status503ServiceUnavailable, e.Message),
                _ => (StatusCodes.Status500InternalServerError, "the dashboard could not answer this request; its console says why"),
            };
            if (status == StatusCodes.Status500InternalServerError)
            {
                await Console.Error.WriteLineAsync($"dashboard: {context.Request.Path}: {e}").ConfigureAwait(false);
            }

            // Not Response.Clear(): it would drop the security headers the guard set.
            context.Response.StatusCode = status;
            if (api)
            {
                await Send(context, "application/json; charset=utf-8", JsonSerializer.Serialize(new { error = message }, DashboardJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await Send(context, "text/html; charset=utf-8", ErrorPage(status, message)).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Too late for a status: the stream ends, and the reason goes to the console.
            await Console.Error.WriteLineAsync($"dashboard: {context.Request.Path}: {e.Message}").ConfigureAwait(false);
        }
    }

    private static string ErrorPage(int status, string message) =>
        MessagePage.Render(status switch { 404 => "Not found", 400 => "Bad request", 503 => "Store unavailable", _ => "Error" }, message, isError: true);

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        // A spreadsheet runs a cell that starts like a formula: a leading apostrophe keeps it text.
        : value.Length > 0 && value[0] is '=' or '+' or '@' && !double.TryParse(value, CultureInfo.InvariantCulture, out _) ? "'" + value
        : value;
}
