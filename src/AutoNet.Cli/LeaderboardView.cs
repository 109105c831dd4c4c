using System.Globalization;
using System.Text;
using Spectre.Console;

namespace AutoNet.Cli;

/// <summary>Leaderboard rows as a terminal table, as aligned plain text (not a terminal), or as CSV.</summary>
public static class LeaderboardView
{
    private static readonly string[] Columns = ["rank", "trial", "state", "validation", "test", "params", "flops", "epochs", "seconds", "strategy"];

    public static void Write(IReadOnlyList<LeaderboardRow> rows, bool plain)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select((r, i) => Cells(r, r.Rank == 0 ? i + 1 : r.Rank)).ToList();
        if (!plain)
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns(Columns);
            foreach (var row in cells)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
            return;
        }

        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        Console.Out.WriteLine(string.Join("  ", Columns.Select((c, i) => c.PadLeft(widths[i]))));
        foreach (var row in cells)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }
    }

    public static string Csv(IReadOnlyList<LeaderboardRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Columns) + ",hyperparameters,failure_reason");
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var values = Cells(row, row.Rank == 0 ? i + 1 : row.Rank, raw: true).Append(row.Hyperparameters).Append(row.FailureReason ?? string.Empty);
            text.AppendLine(string.Join(',', values.Select(Escape)));
        }

        return text.ToString();
    }

    private static string[] Cells(LeaderboardRow row, int rank, bool raw = false) =>
    [
        rank.ToString(CultureInfo.InvariantCulture),
        row.Trial.ToString(CultureInfo.InvariantCulture),
        row.State,
        Accuracy(row.ValidationAccuracy, raw),
        Accuracy(row.TestAccuracy, raw),
        row.Parameters?.ToString(raw ? "D" : "N0", CultureInfo.InvariantCulture) ?? string.Empty,
        row.Flops?.ToString(raw ? "D" : "N0", CultureInfo.InvariantCulture) ?? string.Empty,
        row.Epochs.ToString(CultureInfo.InvariantCulture),
        row.Seconds?.ToString("F1", CultureInfo.InvariantCulture) ?? string.Empty,
        row.Strategy,
    ];

    private static string Accuracy(double? value, bool raw) =>
        value is not { } v ? string.Empty : raw ? v.ToString("R", CultureInfo.InvariantCulture) : v.ToString("F4", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
