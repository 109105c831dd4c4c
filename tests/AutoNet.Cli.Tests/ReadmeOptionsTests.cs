using System.CommandLine;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// README.md's option lists kept in step with the program: every <c>--option</c> it names for a command (see
/// <see cref="ReadmeOptionClaims"/> for how an option is tied to a command) must be one that command's <c>--help</c>
/// lists, read from the same command tree the <c>autonet</c> program parses with.
/// </summary>
public sealed class ReadmeOptionsTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_option_the_readme_names_for_a_command_is_in_that_commands_help()
    {
        var help = HelpOptions();
        var claims = ReadmeOptionClaims.Read(File.ReadAllText(ReadmeTour.ReadmePath), help.Keys);
        output.WriteLine(string.Join('\n', claims));

        // The README's tour alone names more than twenty options; far fewer means the reader lost track of them.
        Assert.True(claims.Count >= 20, $"only {claims.Count} options found in README.md:\n{string.Join('\n', claims)}");
        var wrong = Missing(claims, help);
        Assert.True(wrong.Count == 0, "README.md names options that --help does not list:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void An_option_is_tied_to_its_line_its_span_its_section_or_to_every_command()
    {
        var help = new Dictionary<string, HashSet<string>>
        {
            ["search"] = ["--help", "--seed", "--plain"],
            ["worker"] = ["--help", "--device"],
            ["data inspect"] = ["--help", "--threads"],
            ["data"] = ["--help"],
        };
        var readme = string.Join('\n',
            "# Tool",
            "",
            "```sh",
            "./autonet search --seed 1 --threads 2   # more with --plain, or --colour",
            "./test.sh --filter x",
            "```",
            "",
            "Give `--plain` or `--json`; `worker --device cpu` and `./autonet data inspect --seed 3` too.",
            "",
            "**2. Another step.** Here `data inspect` takes `--threads N`.",
            "",
            "| benchmark | `dotnet run --project x -- --model macro` (or `--epochs 2`) |",
            "",
            "## Threads",
            "",
            "Everything takes `--threads N`.");
        var claims = ReadmeOptionClaims.Read(readme, help.Keys);
        var found = claims.Select(c => $"{c.LineNumber} {c.Option} {(c.Every ? "every" : "one of")} {string.Join(",", c.Commands)}").ToList();
        Assert.Equal(
        [
            "4 --seed one of search", "4 --threads one of search", "4 --plain one of search", "4 --colour one of search",
            "8 --device one of worker", "8 --seed one of data inspect", "8 --plain one of data inspect,search,worker", "8 --json one of data inspect,search,worker",
            "10 --threads one of data inspect",
            "16 --threads every data,data inspect,search,worker",
        ], found);

        var missing = Missing(claims, help).Select(m => m.Split(':')[1]).ToList();
        Assert.Equal(["4", "4", "8", "8", "16"], missing);
    }

    /// <summary>Each claim the command tree contradicts, with the commands that lack the option.</summary>
    private static List<string> Missing(IReadOnlyList<ReadmeOptionClaim> claims, IReadOnlyDictionary<string, HashSet<string>> help)
    {
        var wrong = new List<string>();
        foreach (var claim in claims)
        {
            var lacking = claim.Commands.Where(c => !help[c].Contains(claim.Option)).ToList();
            if (claim.Every ? lacking.Count > 0 : lacking.Count == claim.Commands.Count)
            {
                wrong.Add($"{claim} — not an option of {string.Join(", ", lacking)}");
            }
        }

        return wrong;
    }

    /// <summary>For each command one runs ("search", "data inspect", not the group "data"), the names and aliases of the options its --help lists.</summary>
    private static Dictionary<string, HashSet<string>> HelpOptions()
    {
        var table = new Dictionary<string, HashSet<string>>();
        Walk(AutoNetCommand.Create(), "", []);
        return table;

        void Walk(Command command, string path, IReadOnlyList<Option> inherited)
        {
            if (command.Subcommands.Count == 0)
            {
                table[path] = [.. command.Options.Concat(inherited).SelectMany(o => o.Aliases.Append(o.Name))];
            }

            var passedDown = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}", passedDown);
            }
        }
    }
}
