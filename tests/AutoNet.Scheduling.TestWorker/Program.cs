using System.Globalization;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Quartz;
using AutoNet.Scheduling.Tests;

// Usage: AutoNet.Scheduling.TestWorker <sqlite file> <worker id> <slots> <epoch milliseconds>
// Runs a worker until the process is killed (the test kills it with SIGKILL) or stdin closes.
var path = args[0];
var connectionString = $"Data Source={path};Default Timeout=60";
var options = new TrialWorkerOptions
{
    WorkerId = args[1],
    Provider = QuartzProvider.Sqlite,
    ConnectionString = connectionString,
    Slots = Enumerable.Range(0, int.Parse(args[2], CultureInfo.InvariantCulture)).Select(i => new DeviceSlot($"cuda:{i}")).ToArray(),
    HeartbeatInterval = TimeSpan.FromMilliseconds(100),
    StaleAfter = TimeSpan.FromMilliseconds(600),
    IdleWaitTime = TimeSpan.FromSeconds(1),
};
var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)));
await using var worker = new TrialWorker(options, new SqliteTrialLedger(connectionString), runner);
await worker.StartAsync();
Console.WriteLine("started");
await Console.In.ReadToEndAsync();
