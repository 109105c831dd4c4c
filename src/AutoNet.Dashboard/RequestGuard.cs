using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AutoNet.Dashboard;

/// <summary>
/// What every request passes before it reaches a page or the API, in this order: security headers on every answer;
/// only GET and HEAD (the dashboard is read-only on the server, not by hiding buttons; the one exception is the POST
/// with which Hangfire's read-only jobs page polls its counters); a Host the allowlist names (so a
/// DNS-rebinding page cannot read it through the user's browser); and, when the server has a token, the token.
/// </summary>
internal sealed class RequestGuard
{
    public const string CookieName = "autonet_dashboard_token";
    public const string TokenParameter = "token";

    // Scripts and styles only from the dashboard itself; no frames, forms, plugins or foreign connections.
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // Hangfire's page sets inline styles (bars, widths); its scripts still come only from the server.
    public const string JobsContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[]? _token;
    private readonly HashSet<string> _hosts;

    public RequestGuard(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);
        _hosts = AllowedHosts(options);
    }

    public IReadOnlyCollection<string> Hosts => _hosts;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        var request = context.Request;
        var jobs = request.Path.StartsWithSegments(JobsPage.Path);
        response.Headers.ContentSecurityPolicy = jobs ? JobsContentSecurityPolicy : ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";

        var readsStats = jobs && HttpMethods.IsPost(request.Method) && request.Path.Equals(JobsPage.StatsPath, StringComparison.OrdinalIgnoreCase);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !readsStats)
        {
            response.Headers.Allow = "GET, HEAD";
            await Refuse(context, StatusCodes.Status405MethodNotAllowed, $"the dashboard is read-only: {request.Method} is not answered, only GET and HEAD").ConfigureAwait(false);
            return;
        }

        var host = request.Host.Host.Trim('[', ']');
        if (!request.Host.HasValue || !_hosts.Contains(host.ToLowerInvariant()))
        {
            await Refuse(context, StatusCodes.Status421MisdirectedRequest,
                $"the Host '{request.Host.Value}' is not one this dashboard answers to; start it with --allowed-host {request.Host.Host} if that name is yours").ConfigureAwait(false);
            return;
        }

        if (_token is not null)
        {
            if (Matches(request.Query[TokenParameter].ToString()))
            {
                // The token moves from the address into a cookie scoped to this host, then leaves the address bar.
                response.Cookies.Append(CookieName, request.Query[TokenParameter].ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Path = "/",
                    IsEssential = true,
                });
                var rest = request.Query.Where(q => q.Key != TokenParameter).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
                var query = string.Join('&', rest);
                response.Redirect(request.PathBase + request.Path + (query.Length == 0 ? "" : "?" + query));
                return;
            }

            var bearer = request.Headers.Authorization.ToString();
            var presented = bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer["Bearer ".Length..] : request.Cookies[CookieName];
            if (!Matches(presented))
            {
                response.Headers.WWWAuthenticate = "Bearer";
                await Refuse(context, StatusCodes.Status401Unauthorized,
                    "this dashboard needs its token: open the address `autonet dashboard` printed (it ends in ?token=...)").ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);

    private static async Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
        }
    }

    private static HashSet<string> AllowedHosts(DashboardOptions options)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1" };
        foreach (var host in options.AllowedHosts)
        {
            hosts.Add(host.Trim().Trim('[', ']').ToLowerInvariant());
        }

        if (options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any))
        {
            // Every address of this machine, and its name, is where such a server is reached.
            hosts.Add(Environment.MachineName.ToLowerInvariant());
            foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses))
            {
                hosts.Add(address.Address.ToString().ToLowerInvariant());
            }
        }
        else
        {
            hosts.Add(options.Address.ToString().ToLowerInvariant());
        }

        return hosts;
    }
}
