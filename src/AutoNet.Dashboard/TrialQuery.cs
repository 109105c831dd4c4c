using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AutoNet.Dashboard;

/// <summary>
/// The leaderboard's server-side sort, filter and page, read from the query string:
/// <c>sort=validationAccuracy&amp;desc=true&amp;state=Completed&amp;q=sgd&amp;range=lr:0.01:0.1&amp;in=optimizer:sgd|adamw&amp;page=1&amp;size=50</c>.
/// <c>range</c> and <c>in</c> are what brushing a chart axis sends; every view applies the same filter.
/// </summary>
public sealed record TrialQuery(
    string Sort,
    bool Descending,
    IReadOnlySet<string> States,
    string? Text,
    IReadOnlyList<(string Column, double Min, double Max)> Ranges,
    IReadOnlyList<(string Column, IReadOnlySet<string> Values)> Choices,
    int Page,
    int Size)
{
    public const int MaxSize = 1000;

    public static TrialQuery Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sort = query["sort"].ToString() is { Length: > 0 } s ? s : "validationAccuracy";
        var descending = query["desc"].ToString() is { Length: > 0 } d ? Bool("desc", d) : sort is "validationAccuracy" or "testAccuracy";
        var states = query["state"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(State).ToHashSet(StringComparer.Ordinal);
        var ranges = query["range"].Select(v => Range(v ?? "")).ToList();
        var choices = query["in"].Select(v => Choice(v ?? "")).ToList();
        var page = Int("page", query["page"].ToString(), 1, 1, int.MaxValue);
        var size = Int("size", query["size"].ToString(), 50, 1, MaxSize);
        var text = query["q"].ToString().Trim();
        return new TrialQuery(sort, descending, states, text.Length == 0 ? null : text, ranges, choices, page, size);
    }

    /// <summary>Whether a row passes every filter.</summary>
    public bool Matches(TrialRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (States.Count > 0 && !States.Contains(row.State))
        {
            return false;
        }

        foreach (var (column, min, max) in Ranges)
        {
            if (Number(row.Value(column)) is not { } value || value < min || value > max)
            {
                return false;
            }
        }

        foreach (var (column, values) in Choices)
        {
            if (row.Value(column) is not { } value || !values.Contains(Format(value)))
            {
                return false;
            }
        }

        return Text is null
            || row.Number.ToString(CultureInfo.InvariantCulture) == Text
            || (row.FailureReason?.Contains(Text, StringComparison.OrdinalIgnoreCase) ?? false)
            || row.Hyperparameters.Values.Any(v => Format(v).Contains(Text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The rows in this query's order: missing values last whichever the direction, ties by trial number.</summary>
    public IEnumerable<TrialRow> Order(IEnumerable<TrialRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var comparer = Comparer<object?>.Create((a, b) => CompareValues(a, b));
        var keyed = rows.Select(r => (Row: r, Key: r.Value(Sort)));
        var present = keyed.Where(k => k.Key is not null);
        var ordered = Descending ? present.OrderByDescending(k => k.Key, comparer) : present.OrderBy(k => k.Key, comparer);
        return ordered.ThenBy(k => k.Row.Number).Concat(keyed.Where(k => k.Key is null).OrderBy(k => k.Row.Number)).Select(k => k.Row);
    }

    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };

    public static double? Number(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => null,
    };

    private static int CompareValues(object? a, object? b) =>
        Number(a) is { } x && Number(b) is { } y ? x.CompareTo(y) : string.CompareOrdinal(a is null ? "" : Format(a), b is null ? "" : Format(b));

    private static string State(string value) =>
        Enum.TryParse<AutoNet.Store.TrialState>(value, ignoreCase: true, out var state) && !int.TryParse(value, out _)
            ? state.ToString()
            : throw new DashboardBadRequestException($"state={value}: expected Waiting, Running, Completed, Pruned or Failed");

    private static (string, double, double) Range(string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3 || parts[0].Length == 0
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new DashboardBadRequestException($"range={value}: expected column:min:max with finite numbers, min ≤ max (e.g. validationAccuracy:0.8:1)");
        }

        return (parts[0], min, max);
    }

    private static (string, IReadOnlySet<string>) Choice(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new DashboardBadRequestException($"in={value}: expected column:value|value (e.g. optimizer:sgd|adamw)");
        }

        return (value[..colon], value[(colon + 1)..].Split('|').ToHashSet(StringComparer.Ordinal));
    }

    private static bool Bool(string name, string value) => value switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new DashboardBadRequestException($"{name}={value}: expected true or false"),
    };

    private static int Int(string name, string value, int fallback, int min, int max)
    {
        if (value.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new DashboardBadRequestException($"{name}={value}: expected a whole number from {min} to {max}");
    }
}
