using System.CommandLine;

namespace AutoNet.Cli;

/// <summary>`autonet data …`: commands about data sets.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Inspect data sets.");
        command.Subcommands.Add(DataInspectCommand.Create());
        return command;
    }
}
