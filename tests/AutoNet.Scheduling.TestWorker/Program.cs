using System.Globalization;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Jobs;
using AutoNet.Scheduling.Tests;

// Usage: AutoNet.Scheduling.TestWorker <sqlite ledger file> <postgres connection string> <worker id> <slots> <epoch milliseconds> [poison trial id]
// Runs a worker on the PostgreSQL job queue until the process is killed (the test kills it with SIGKILL) or stdin closes.
// Training the poison trial kills the process (a trial that crashes its worker, as a native fault would).
var ledgerPath = args[0];
var options = new TrialWorkerOptions
{
    WorkerId = args[2],
    // A killed worker's jobs are visible again two seconds after its last keep-alive.
    Storage = TrialJobStorage.Postgres(args[1], invisibilityTimeout: TimeSpan.FromSeconds(2), pollInterval: TimeSpan.FromMilliseconds(100),
        lockTimeout: TimeSpan.FromSeconds(3)),
    Slots = Enumerable.Range(0, int.Parse(args[3], CultureInfo.InvariantCulture)).Select(i => new DeviceSlot($"cuda:{i}")).ToArray(),
    HeartbeatInterval = TimeSpan.FromMilliseconds(100),
    StaleAfter = TimeSpan.FromMilliseconds(600),
    PollInterval = TimeSpan.FromMilliseconds(100),
    ShutdownTimeout = TimeSpan.FromSeconds(10),
};
long? poison = args.Length > 5 ? long.Parse(args[5], CultureInfo.InvariantCulture) : null;
var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)))
{
    Failure = assignment => assignment.TrialId == poison ? Die() : null,
};
await using var worker = new TrialWorker(options, new SqliteTrialLedger($"Data Source={ledgerPath};Default Timeout=60"), runner);
await worker.StartAsync();
Console.WriteLine("started");
await Console.In.ReadToEndAsync();

static Exception Die()
{
    Environment.FailFast("the poison trial killed its worker (test)");
    return new InvalidOperationException("unreachable");
}
