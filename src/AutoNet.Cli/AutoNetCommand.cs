using System.CommandLine;

namespace AutoNet.Cli;

/// <summary>The root of the `autonet` command line; each sub-command lives in its own type.</summary>
public static class AutoNetCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("AutoNet: neural architecture search and AutoML for image classification.");
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(ExperimentsCommand.Create());
        root.Subcommands.Add(LeaderboardCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(DashboardCommand.Create());
        return root;
    }
}
