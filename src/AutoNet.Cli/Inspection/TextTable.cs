using Spectre.Console;

namespace AutoNet.Cli.Inspection;

/// <summary>A table as Spectre draws it on a terminal, or as aligned plain text when stdout is not one (as the leaderboard does).</summary>
public static class TextTable
{
    public static void Write(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, bool plain, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (!plain)
        {
            var table = new Table().Border(TableBorder.Rounded);
            if (title is not null)
            {
                table.Title(Markup.Escape(title));
            }

            table.AddColumns([.. header.Select(Markup.Escape)]);
            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(Markup.Escape)]);
            }

            AnsiConsole.Write(table);
            return;
        }

        if (title is not null)
        {
            Console.Out.WriteLine(title);
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }
}
