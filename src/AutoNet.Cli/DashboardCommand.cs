using System.CommandLine;
using System.Net;
using System.Text.Json;
using AutoNet.Dashboard;

namespace AutoNet.Cli;

/// <summary>
/// `autonet dashboard [--store S] [--workspace W] [--port N] [--address A] [--token T] [--allowed-host H]`: serves the
/// read-only web dashboard until Ctrl-C. Loopback by default; another address needs a token (one is generated and printed).
/// </summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var port = new Option<int>("--port") { Description = $"Port to listen on (0: any free one).", DefaultValueFactory = _ => DashboardOptions.DefaultPort };
        var address = new Option<string>("--address")
        {
            Description = "Address to listen on. Default 127.0.0.1 (this machine only); any other (0.0.0.0 for every interface) requires a token.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var token = new Option<string?>("--token") { Description = "Secret every request must carry (at least 16 characters); generated when listening off loopback without one." };
        var hosts = new Option<string[]>("--allowed-host") { Description = "A host name the browser may use besides loopback and the address (a proxy's or the machine's DNS name).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the address as JSON once listening, for scripts." };
        var command = new Command("dashboard", "Serve a read-only web page to watch searches live, compare leaderboards and look inside trials (until Ctrl-C).")
        {
            store, workspace, port, address, token, hosts, json,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            if (!IPAddress.TryParse(result.GetValue(address), out var ip))
            {
                throw new CliException($"--address '{result.GetValue(address)}': expected an IP address such as 127.0.0.1, ::1 or 0.0.0.0");
            }

            var options = new DashboardOptions
            {
                Store = StoreArguments.Location(result, store, workspace),
                Workspace = result.GetValue(workspace)!,
                Port = result.GetValue(port),
                Address = ip,
                Token = result.GetValue(token),
                AllowedHosts = result.GetValue(hosts) ?? [],
            };
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot listen on {ip}:{options.Port}: {e.Message} (another program may use the port; try --port 0)");
            }

            await using (server.ConfigureAwait(false))
            {
                if (result.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new { address = server.Address, open = server.OpenAddress, token = server.Token }, CliJson.Options));
                }
                else
                {
                    Console.Out.WriteLine($"AutoNet dashboard of {Describe(options.Store)} on {server.Address} (read-only; Ctrl-C stops it)");
                    Console.Out.WriteLine($"open {server.OpenAddress}");
                    if (server.Token is not null && options.Token is null)
                    {
                        Console.Out.WriteLine("a token was generated because the dashboard listens beyond this machine; give it only to whom may see the experiments");
                    }
                }

                await server.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Stopped by Ctrl-C, as the worker is: the shell's convention for an interrupted program.
            return CliErrors.Interrupted;
        }));
        return command;
    }

    /// <summary>The store for the console: a file's full path, or a PostgreSQL database by server and name, never its password.</summary>
    private static string Describe(string store)
    {
        if (!AutoNet.Store.ExperimentStore.IsPostgres(store))
        {
            return Path.GetFullPath(CliStore.FilePath(store));
        }

        var keywords = new Npgsql.NpgsqlConnectionStringBuilder(AutoNet.Store.ExperimentStore.ToKeywords(store));
        return $"PostgreSQL database '{keywords.Database}' on {keywords.Host}:{keywords.Port}";
    }
}
