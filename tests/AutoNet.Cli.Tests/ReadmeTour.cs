using System.Text;
using System.Text.RegularExpressions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The `./autonet …` lines of README.md's fenced code blocks, in README order, as the tour test runs them. Every such line
/// is returned (none is dropped); the only changes are the substitutions listed here, each with its reason.
/// </summary>
public static class ReadmeTour
{
    public const string Prefix = "./autonet ";

    /// <summary>
    /// What the test changes in the README's lines, and why. Nothing else is changed: a line that matches none of these
    /// runs exactly as written (in a fresh working directory where <c>photos/</c>, <c>holdout/</c>, <c>new-photos/</c> and
    /// <c>shirt.png</c> exist, see <see cref="TourFolder"/>).
    /// </summary>
    public static IReadOnlyList<ReadmeSubstitution> Substitutions { get; } =
    [
        new("demo budget", new Regex(@"^search$"), "search --max-trials 3 --search-images 2000",
            "the Quick start's demo searches for two minutes and trains its winner again for as long; three trials on 2,000 images take the same path in a fraction of it"),
        new("time budget", new Regex(@"--time-budget \S+"), "--max-trials 3",
            "minutes of wall time per search would make a slow test whose result depends on the machine's speed; three trials of the "
            + "tiny space take seconds and still give ASHA a completed trial to call best"),
        new("database", new Regex("\"Host=db\\.example;Database=autonet;Username=autonet;Password=secret\""), "{postgres}",
            "the README's example server is the test's own PostgreSQL (AUTONET_TEST_POSTGRES), in a fresh database"),
        new("dashboard port", new Regex(@"^dashboard\b"), "dashboard --port 0",
            "the README's default port may be taken on the test machine; any free one serves the same pages"),
        new("shared data path", new Regex(@"/data/photos\b"), "{photos}",
            "the README's path on every machine is the test's image folder (both 'machines' are folders of this one)"),
    ];

    public static string ReadmePath => Path.Join(RepositoryPaths.Root, "README.md");

    /// <summary>The README's command lines, in order, with the substitutions applied, <c>{photos}</c> and <c>{postgres}</c> replaced by these values.</summary>
    public static IReadOnlyList<ReadmeCommand> Commands(string readme, string photos, string postgres)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var commands = new List<ReadmeCommand>();
        var fenced = false;
        var lines = readme.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
            {
                continue;
            }

            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                // An indented or prefixed (time, sudo) autonet line would escape the test: refuse it.
                if (line.Contains("./autonet", StringComparison.Ordinal))
                {
                    throw new FormatException($"README.md:{i + 1}: a code line runs ./autonet but does not start with '{Prefix}', so the tour test would not run it: {line}");
                }

                continue;
            }

            if (line.TrimEnd().EndsWith('\\'))
            {
                throw new FormatException($"README.md:{i + 1}: a command continued on the next line; keep each ./autonet command on one line so the tour test can run it");
            }

            var (written, comment, text) = Split(line[Prefix.Length..], i + 1, placeholders: false);
            var substituted = new List<string>();
            foreach (var substitution in Substitutions)
            {
                if (substitution.Pattern.IsMatch(text))
                {
                    text = substitution.Pattern.Replace(text, substitution.Replacement);
                    substituted.Add(substitution.Name);
                }
            }

            var arguments = Split(text, i + 1, placeholders: true).Words
                .Select(w => w.Replace("{photos}", photos, StringComparison.Ordinal).Replace("{postgres}", postgres, StringComparison.Ordinal)).ToList();
            commands.Add(new ReadmeCommand(i + 1, line, written, arguments, comment, substituted));
        }

        return fenced ? throw new FormatException("README.md: a code fence is never closed") : commands;
    }

    /// <summary>
    /// The words of a shell command line as a POSIX shell passes them for the forms the README uses: blanks separate words,
    /// single and double quotes group (and are removed), and a word starting with # begins a comment. Anything the
    /// shell would expand ($, ~, `, globs, redirections, pipes) is refused, so a line cannot mean something else here.
    /// <c>Command</c> is the line before its comment. With <paramref name="placeholders"/>, the substitutions' {photos} and
    /// {postgres} are let through (the README itself may not use braces).
    /// </summary>
    public static (List<string> Words, string Comment, string Command) Split(string line, int lineNumber, bool placeholders)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            if (c == '#' && !inWord)
            {
                return (words, line[(i + 1)..].Trim(), line[..i].Trim());
            }

            if (c is '"' or '\'')
            {
                var end = line.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new FormatException($"README.md:{lineNumber}: unclosed {c} in: {line}");
                }

                var quoted = line[(i + 1)..end];
                if (c == '"' && quoted.IndexOfAny(['$', '`', '\\']) >= 0)
                {
                    throw new FormatException($"README.md:{lineNumber}: the shell would expand $, ` or \\ inside \"…\" in: {line}");
                }

                word.Append(quoted);
                inWord = true;
                i = end;
                continue;
            }

            if ("$~`*?[|&;<>(){}\\".Contains(c, StringComparison.Ordinal) && !(placeholders && c is '{' or '}' && IsPlaceholder(line, i)))
            {
                throw new FormatException($"README.md:{lineNumber}: '{c}' means something to the shell; the tour test runs words as written, so leave it out of: {line}");
            }

            word.Append(c);
            inWord = true;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return (words, "", line.Trim());
    }

    private static bool IsPlaceholder(string line, int at)
    {
        foreach (var placeholder in (string[])["{photos}", "{postgres}"])
        {
            var start = line[at] == '{' ? at : at - placeholder.Length + 1;
            if (start >= 0 && start + placeholder.Length <= line.Length && line.AsSpan(start, placeholder.Length).SequenceEqual(placeholder))
            {
                return true;
            }
        }

        return false;
    }
}
