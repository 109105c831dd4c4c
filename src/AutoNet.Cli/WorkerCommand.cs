using System.CommandLine;
using AutoNet.Scheduling;
using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using TorchSharp;

namespace AutoNet.Cli;

/// <summary>
/// `autonet worker --store &lt;postgres&gt;`: a worker process that takes trial jobs from the PostgreSQL store's Hangfire
/// queue and trains whatever trials the searches dispatch, on this machine's device slots, until Ctrl-C (its running
/// trials then stop at their checkpoint and go back to the queue). Each machine reads the experiment's data from its own
/// <c>--data</c> path as stored, and keeps its caches and checkpoints under its own workspace.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var experiment = new Option<string?>("--experiment") { Description = "Refuse to start unless this experiment exists and is running (the worker takes the trials of every running search of the store)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:0,1 or auto.", DefaultValueFactory = _ => "auto" };
        var workers = new Option<int?>("--workers") { Description = "Trials trained at once (default: one per device)." };
        var command = new Command("worker", "Join a PostgreSQL experiment store's job queue and train its trials on this machine.") { store, workspace, experiment, device, workers };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() => RunAsync(StoreArguments.Location(result, store, workspace),
            result.GetValue(workspace)!, result.GetValue(experiment), result.GetValue(device)!, result.GetValue(workers), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string location, string workspace, string? experimentName, string device, int? workers, CancellationToken cancellationToken)
    {
        if (!ExperimentStore.IsPostgres(location))
        {
            throw new CliException($"--store '{location}': a worker joins a PostgreSQL store (postgres://…); an embedded store's trials queue in the memory of the search that trains them, so train more at once with `autonet search --workers N`");
        }

        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);

        // The worker trains any experiment of the store: none may have its data folder around this worker's files.
        foreach (var summary in await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false))
        {
            CliStore.EnsureOutsideData(workspace, location, summary.Experiment.DataSource);
        }

        if (experimentName is not null)
        {
            var experiment = await CliStore.ExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
            if (experiment.State != ExperimentState.Running)
            {
                throw new CliException($"the experiment '{experiment.Name}' is {experiment.State}; a worker joins a running search (resume it with `autonet search --resume {experiment.Name}`)");
            }
        }

        var slots = CliException.Checking("--device", () => TrainingWorkers.Slots(device, workers, TorchDevices.CudaDeviceCount));
        TrainingWorkers.ShareCores(slots);
        var jobs = TrainingWorkers.JobStorage(store, CliStore.PostgresConnectionString(location));
        await using var worker = TrainingWorkers.Create(store, jobs, workspace, slots, TransferBackbone.Sources);
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine($"worker {worker.OwnerId} joined {store.Location} with {string.Join(", ", slots)} ({torch.get_num_threads()} torch threads); Ctrl-C stops it");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Console.Out.WriteLine("worker stopped: its running trials went back to the queue at their last checkpoint");
        return CliErrors.Interrupted;
    }
}
