using System.Text.RegularExpressions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Every <c>--option</c> README.md names, with the command(s) it names it for:
/// <list type="number">
/// <item>a fenced <c>./autonet …</c> line (read by <see cref="ReadmeTour.Commands"/>): the options among its words and in
/// its comment belong to its command;</item>
/// <item>a code span in the prose that starts with a command (<c>`search --remote-slots N`</c>, <c>`./autonet doctor`</c>):
/// the options in it belong to that command;</item>
/// <item>any other option in a code span (<c>`--plain`</c>, <c>`--strategy random|grid`</c>): to one of the commands the
/// paragraph names in code spans or the section's fenced lines run (a section is a heading or a tour step
/// <c>**N.**</c>); where there are none, the sentence speaks of AutoNet as a whole, and every command must have it.</item>
/// </list>
/// A paragraph with a code span running another program with options (<c>`dotnet run … --model macro`</c>) is about that
/// program, and its bare options are not AutoNet's.
/// </summary>
public static partial class ReadmeOptionClaims
{
    public static IReadOnlyList<ReadmeOptionClaim> Read(string readme, IReadOnlyCollection<string> commands)
    {
        ArgumentNullException.ThrowIfNull(readme);
        ArgumentNullException.ThrowIfNull(commands);
        var lines = readme.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var sections = Sections(lines);
        var claims = new List<ReadmeOptionClaim>();

        // 1. The fenced lines, as the tour test reads them; the words as written, before its substitutions.
        var fencedBySection = new Dictionary<int, HashSet<string>>();
        foreach (var line in ReadmeTour.Commands(readme, "photos", "postgres"))
        {
            var (command, rest) = LeadingCommand(line.Written, commands);
            if (command is null)
            {
                continue;
            }

            var section = sections[line.LineNumber - 1];
            (fencedBySection.TryGetValue(section, out var set) ? set : fencedBySection[section] = []).Add(command);
            foreach (var option in rest.Where(IsOption).Select(OptionName).Concat(OptionPattern().Matches(line.Comment).Select(m => m.Value)))
            {
                claims.Add(new ReadmeOptionClaim(line.LineNumber, option, [command], Every: false, line.Line.Trim()));
            }
        }

        // 2 and 3. The prose, paragraph by paragraph (a table row is a paragraph of its own).
        foreach (var (first, text) in Paragraphs(lines))
        {
            var named = new HashSet<string>();
            var bare = new List<string>();
            var foreign = false;
            foreach (var span in CodeSpan().Matches(text).Select(m => m.Groups[1].Value))
            {
                var words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                if (words.Count > 0 && words[0] is "./autonet" or "autonet")
                {
                    words.RemoveAt(0);
                }

                var (command, rest) = LeadingCommand(words, commands);
                if (command is not null)
                {
                    named.Add(command);
                    claims.AddRange(rest.Where(IsOption).Select(OptionName).Select(o => new ReadmeOptionClaim(first, o, [command], Every: false, $"`{span}`")));
                }
                else if (words.Count > 0 && IsOption(words[0]))
                {
                    bare.AddRange(words.Where(IsOption).Select(OptionName));
                }
                else if (words.Count > 1 && words.Any(IsOption))
                {
                    // Another program's command line with its own options (`dotnet run … -- --epochs 4`).
                    foreign = true;
                }
            }

            if (foreign || bare.Count == 0)
            {
                continue;
            }

            var context = named.Union(fencedBySection.GetValueOrDefault(sections[first - 1]) ?? []).Order(StringComparer.Ordinal).ToList();
            var every = context.Count == 0;
            foreach (var option in bare)
            {
                claims.Add(new ReadmeOptionClaim(first, option, every ? [.. commands.Order(StringComparer.Ordinal)] : context, every, Shorten(text)));
            }
        }

        return claims;
    }

    /// <summary>The longest command path at the start of <paramref name="words"/> ("data inspect" before "data"), and the words after it.</summary>
    private static (string? Command, IReadOnlyList<string> After) LeadingCommand(IReadOnlyList<string> words, IReadOnlyCollection<string> commands)
    {
        for (var length = words.Count; length > 0; length--)
        {
            var candidate = string.Join(' ', words.Take(length));
            if (commands.Contains(candidate))
            {
                return (candidate, words.Skip(length).ToList());
            }
        }

        return (null, []);
    }

    /// <summary>For each line, the number of the section it is in: a new one starts at each heading and each tour step.</summary>
    private static int[] Sections(string[] lines)
    {
        var sections = new int[lines.Length];
        var section = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#') || TourStep().IsMatch(lines[i]))
            {
                section++;
            }

            sections[i] = section;
        }

        return sections;
    }

    /// <summary>Paragraphs outside code fences: runs of non-blank lines, each table row alone; with their first line number.</summary>
    private static IEnumerable<(int FirstLine, string Text)> Paragraphs(string[] lines)
    {
        var fenced = false;
        var start = -1;
        var text = new List<string>();
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i] : "";
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                line = "";
            }

            var breaks = fenced || line.Trim().Length == 0 || line.StartsWith('|') || line.StartsWith('#');
            if (breaks && text.Count > 0)
            {
                yield return (start + 1, string.Join(' ', text));
                text.Clear();
            }

            if (fenced || line.Trim().Length == 0)
            {
                continue;
            }

            if (line.StartsWith('|') || line.StartsWith('#'))
            {
                yield return (i + 1, line);
                continue;
            }

            if (text.Count == 0)
            {
                start = i;
            }

            text.Add(line.Trim());
        }
    }

    private static bool IsOption(string word) => OptionPattern().Match(word) is { Success: true, Index: 0 };

    /// <summary>The option's name without what follows it in the word (<c>--top=3</c>, <c>--csv)</c>).</summary>
    private static string OptionName(string word) => OptionPattern().Match(word).Value;

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";

    [GeneratedRegex("--[a-z][a-z0-9-]*")]
    private static partial Regex OptionPattern();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^\*\*\d+\.")]
    private static partial Regex TourStep();
}
