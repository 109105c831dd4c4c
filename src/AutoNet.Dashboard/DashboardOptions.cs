using System.Net;

namespace AutoNet.Dashboard;

/// <summary>How `autonet dashboard` serves: which store and workspace it reads, and where it listens.</summary>
public sealed record DashboardOptions
{
    /// <summary>The default port; 0 picks any free one.</summary>
    public const int DefaultPort = 8050;

    /// <summary>The store to read (a file path or a PostgreSQL connection string); it is opened read-only.</summary>
    public required string Store { get; init; }

    /// <summary>The workspace whose decoded caches the mistakes gallery reads its images from.</summary>
    public required string Workspace { get; init; }

    /// <summary>The address to listen on: loopback unless the user names another, which then needs a token.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// The secret every request must carry (a Bearer header, the cookie the first visit sets, or <c>?token=</c>). Required
    /// off loopback: <see cref="DashboardServer"/> generates one when none is given there.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>Host names a request may name besides loopback's and the bound address (a proxy's or the machine's public name).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>How often the live channel looks at the store for changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>True when only this machine can reach the server.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);
}
