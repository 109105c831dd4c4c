using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AutoNet.Dashboard;

/// <summary>
/// `autonet dashboard`: a read-only web server over one experiment store. Loopback unless told otherwise; off loopback a
/// token is required (generated when none is given). Start it, print <see cref="OpenAddress"/>, then wait.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StoreConnection _connection;
    private readonly SaliencyMaps _saliency;

    private DashboardServer(WebApplication app, StoreConnection connection, SaliencyMaps saliency, Uri address, string? token)
    {
        _app = app;
        _connection = connection;
        _saliency = saliency;
        Address = address;
        Token = token;
    }

    /// <summary>Where the server listens (the port resolved when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>The token requests must carry, or null on loopback without one.</summary>
    public string? Token { get; }

    /// <summary>The address to open in a browser: with the token, which the first visit moves into a cookie.</summary>
    public Uri OpenAddress => Token is null ? Address : new Uri(Address, "/?" + RequestGuard.TokenParameter + "=" + Uri.EscapeDataString(Token));

    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"--port {options.Port}: expected 0 (any free port) to 65535");
        }

        if (options.Token is { Length: < 16 })
        {
            throw new ArgumentException("--token: expected at least 16 characters (a guessable token protects nothing)", nameof(options));
        }

        var token = options.Token ?? (options.IsLoopback ? null : Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_'));
        options = options with { Token = token };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port);
        });
        JobsPage.AddServices(builder.Services, options);
        var app = builder.Build();
        var connection = new StoreConnection(options.Store);
        var data = new DashboardData(connection, options.PollInterval / 2);
        var images = new TestImages(options.Workspace);
        var saliency = new SaliencyMaps(options.Workspace, images);
        var routes = new DashboardRoutes(data, images, saliency, new TestPredictions(options.Workspace), new LiveUpdates(data, options.PollInterval), connection,
            EmbeddedAssets.Load(), app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var guard = new RequestGuard(options);
        app.Use((context, next) => guard.InvokeAsync(context, next));
        JobsPage.Map(app, options);
        routes.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            saliency.Dispose();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        var host = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any) ? Environment.MachineName
            : options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Address}]" : options.Address.ToString();
        return new DashboardServer(app, connection, saliency, new Uri($"http://{host}:{port}/"), token);
    }

    /// <summary>Waits until the server is stopped or <paramref name="cancellationToken"/> ends (Ctrl-C).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: a normal end.
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _saliency.Dispose();
    }
}
