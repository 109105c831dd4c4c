using System.CommandLine;
using System.Text.Json;
using AutoNet.Cli.Inspection;

namespace AutoNet.Cli;

/// <summary>
/// `autonet compare &lt;experiment&gt; &lt;experiment&gt;… [--target accuracy] [--json]`: experiments side by side — their setup
/// (space, strategy, scheduler, seed, budget), trial counts, best and median validation accuracy, best test accuracy,
/// training time and epochs, and how much training it took each to reach a target validation accuracy.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var experiments = new Argument<string[]>("experiments") { Description = "Two or more experiments.", Arity = ArgumentArity.OneOrMore };
        var target = new Option<double?>("--target") { Description = "Validation accuracy to reach, in (0, 1] (default: the lowest of the experiments' best)." };
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts." };
        var store = StoreArguments.Store();
        var workspace = StoreArguments.Workspace();
        var command = new Command("compare", "Compare experiments side by side: best and median scores, trials, time to reach an accuracy, strategies and budgets.")
        {
            experiments, target, json, store, workspace,
        };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(() => RunAsync(result.GetValue(experiments) ?? [], result.GetValue(target),
            result.GetValue(json), StoreArguments.Location(result, store, workspace), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string[] names, double? target, bool json, string location, CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenExistingAsync(location, cancellationToken).ConfigureAwait(false);
        var comparison = await Comparison.BuildAsync(store, names, target, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(comparison, CliJson.Options));
        }
        else
        {
            CompareView.Write(comparison, plain: Console.IsOutputRedirected);
        }

        return 0;
    }
}
