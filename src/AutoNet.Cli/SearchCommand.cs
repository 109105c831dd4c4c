using System.CommandLine;

namespace AutoNet.Cli;

/// <summary>
/// `autonet search`: architecture and hyperparameter search over an image folder, a CSV manifest or a built-in data set;
/// with no --data, a few-minute demo on a Fashion-MNIST subset. See <see cref="SearchRun"/>.
/// </summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "An image folder, a CSV manifest or fashion-mnist (default: a short demo on a Fashion-MNIST subset)." };
        var space = new Option<string?>("--space") { Description = "Search space: a name (darts, nasnet, macro-cnn, macro-cnn-tiny, transfer) or a JSON file (default: chosen from the data)." };
        var backbone = new Option<string?>(TransferBackbone.Option)
        {
            Description = "Pretrained weights for --space transfer (implied): a torchvision state dict (.pth or .safetensors) of resnet18, resnet34, resnet50, mobilenet_v2 or efficientnet_b0, or a model package folder from `autonet export`. The head and the fine-tuning schedule are searched.",
        };
        var strategy = new Option<string?>("--strategy") { Description = "random, grid, evolution, rl, tpe, proxy, oneshot, or random+tpe, evolution+tpe, rl+tpe (default: chosen from the budget)." };
        var scheduler = new Option<string?>("--scheduler") { Description = "Early stopping: asha, fifo or median (default asha)." };
        var time = new Option<string?>("--time-budget") { Description = "Wall-time budget, e.g. 90s, 30m, 1h, 1h30m. With --resume it replaces what is left of the stored budget." };
        var trials = new Option<int?>("--max-trials") { Description = "Stop after this many trials." };
        var epochs = new Option<long?>("--max-epochs") { Description = "Stop after this many epochs trained over all trials." };
        var resolution = new Option<int?>("--resolution") { Description = "Image side in pixels when the space does not search it (default: chosen from the data)." };
        var searchImages = new Option<int?>("--search-images") { Description = "Search trials train on a stratified subset of this many training images (a quick search of a large data set)." };
        var final = new Option<string?>("--final-training") { Description = "After the search, train the winner again from scratch on every training image for about this long, e.g. 30m; 'none' for no final training (a time budget of 5 minutes or more otherwise keeps 35 % of itself for one)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:0,1 or auto (every GPU, else the CPU).", DefaultValueFactory = _ => "auto" };
        var workers = new Option<int?>("--workers") { Description = "Trials trained at once on this machine (default: one per device)." };
        var remote = new Option<int>("--remote-slots") { Description = "Trial slots of `autonet worker` machines joining through a PostgreSQL store: that many more trials are kept queued for them.", DefaultValueFactory = _ => 0 };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var experiment = new Option<string?>("--experiment") { Description = "Name of the new experiment (default: search-<UTC time>)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the strategy and every trial.", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue a stopped or crashed experiment by name. A --time-budget, --max-trials or --max-epochs given with it replaces the stored one: the wall time counts from the resume, trials and epochs over the whole experiment." };
        var json = new Option<bool>("--json") { Description = "Print only a JSON summary at the end, for scripts." };
        var plain = new Option<bool>("--plain") { Description = "Plain progress lines even on a terminal." };
        var command = new Command("search", "Search architectures and hyperparameters for an image data set; with no --data, a short Fashion-MNIST demo.")
        {
            data, space, backbone, strategy, scheduler, time, trials, epochs, resolution, searchImages, final, device, workers, remote, store, workspace, experiment, seed, resume, json, plain,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() =>
        {
            var request = new SearchRequest
            {
                Data = result.GetValue(data),
                Space = result.GetValue(space),
                BackboneWeights = result.GetValue(backbone),
                Strategy = result.GetValue(strategy),
                Scheduler = result.GetValue(scheduler),
                TimeBudget = result.GetValue(time) is { } t ? Durations.Parse(t, "--time-budget") : null,
                MaxTrials = result.GetValue(trials),
                MaxEpochs = result.GetValue(epochs),
                Resolution = result.GetValue(resolution),
                SearchImages = result.GetValue(searchImages),
                FinalTraining = result.GetValue(final) is { } f ? (f == "none" ? TimeSpan.Zero : Durations.Parse(f, "--final-training")) : null,
                Device = result.GetValue(device)!,
                Workers = result.GetValue(workers),
                RemoteSlots = result.GetValue(remote),
                Store = result.GetValue(store),
                Workspace = result.GetValue(workspace)!,
                Experiment = result.GetValue(experiment),
                Seed = result.GetValue(seed),
                Resume = result.GetValue(resume),
                Json = result.GetValue(json),
                Live = result.GetValue(plain) ? false : null,
            };
            return SearchRun.RunAsync(request, cancellationToken);
        }));
        return command;
    }
}
