using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A throw-away PostgreSQL server on loopback (Debian's <c>postgresql</c> package), in a temporary folder, for the
/// clustered tests. Run as root, it runs the server as the <c>postgres</c> user, as initdb refuses root.
/// <see cref="Unavailable"/> says why it cannot start here, so tests skip visibly instead of passing silently.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private static readonly string? BinDirectory = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).Order().LastOrDefault()
        : null;

    private readonly string folder;
    private readonly string dataDirectory;

    private PostgresServer(string folder, int port)
    {
        this.folder = folder;
        dataDirectory = Path.Combine(folder, "data");
        Port = port;
    }

    public static string? Unavailable => BinDirectory is null ? "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)"
        : Environment.UserName == "root" && !File.Exists("/usr/sbin/runuser") ? "running as root without runuser to start PostgreSQL as postgres"
        : null;

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=40;Timeout=30";

    public static PostgresServer Start()
    {
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var folder = Path.Combine(Path.GetTempPath(), "autonet-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new PostgresServer(folder, FreePort());
        if (Environment.UserName == "root")
        {
            Run("chown", $"postgres \"{folder}\"", asPostgres: false);
        }

        Run(Path.Combine(BinDirectory!, "initdb"), $"-D \"{server.dataDirectory}\" -A trust -U postgres --no-sync", asPostgres: true);
        Run(Path.Combine(BinDirectory!, "pg_ctl"),
            $"-D \"{server.dataDirectory}\" -l \"{Path.Combine(folder, "log")}\" -w -o \"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start",
            asPostgres: true);
        return server;
    }

    public void Dispose()
    {
        try
        {
            Run(Path.Combine(BinDirectory!, "pg_ctl"), $"-D \"{dataDirectory}\" -m immediate -w stop", asPostgres: true);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, string arguments, bool asPostgres)
    {
        var start = asPostgres && Environment.UserName == "root"
            ? new ProcessStartInfo("/usr/sbin/runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {stderr}{stdout.Result}");
        }
    }
}
