using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AutoNet.Dashboard;

/// <summary>
/// The experiment page's live channel (server-sent events): the experiment's head and the trials that changed since the
/// last message, pushed when the store changes; nothing is sent while nothing changes except a keep-alive comment.
/// </summary>
internal sealed class LiveUpdates
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly DashboardData _data;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    public LiveUpdates(DashboardData data, TimeSpan interval, TimeProvider? time = null)
    {
        _data = data;
        _interval = interval;
        _time = time ?? TimeProvider.System;
    }

    public async Task StreamAsync(HttpContext context, string name, CancellationToken stopping)
    {
        // An unknown experiment is a 404 before the stream starts.
        await _data.ExperimentAsync(name, context.RequestAborted).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        string? signature = null;
        Dictionary<long, TrialRow> known = [];
        var lastSent = _time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (now, snapshot) = await _data.ChangeAsync(name, cancellationToken).ConfigureAwait(false);
                if (now != signature)
                {
                    var changed = snapshot.Rows.Where(r => !known.TryGetValue(r.Number, out var before) || !Same(before, r)).ToList();
                    var head = await _data.ExperimentAsync(name, cancellationToken).ConfigureAwait(false);
                    var payload = JsonSerializer.Serialize(new { signature = now, experiment = head, changed, total = snapshot.Rows.Count }, DashboardJson.Options);
                    await response.WriteAsync($"event: change\ndata: {payload}\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    signature = now;
                    known = snapshot.Rows.ToDictionary(r => r.Number);
                    lastSent = _time.GetUtcNow();
                }
                else if (_time.GetUtcNow() - lastSent > KeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    lastSent = _time.GetUtcNow();
                }

                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page closed or the server is stopping: the stream simply ends.
        }
    }

    private static bool Same(TrialRow a, TrialRow b) =>
        a.State == b.State && a.Epochs == b.Epochs && a.ValidationAccuracy == b.ValidationAccuracy && a.TestAccuracy == b.TestAccuracy;
}
