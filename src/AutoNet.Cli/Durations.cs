using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoNet.Cli;

/// <summary>Reads durations as people type them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>1h30m</c>, <c>2.5h</c>, or a plain number of seconds.</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Positive(TimeSpan.FromSeconds(seconds), text, option);
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new CliException($"{option} '{text}': expected a duration such as 90s, 30m, 1h or 1h30m");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }

        return Positive(total, text, option);
    }

    /// <summary>A short human form: <c>45s</c>, <c>12m05s</c>, <c>1h02m</c>.</summary>
    public static string Format(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:D2}m")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:D2}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)}s");

    private static TimeSpan Positive(TimeSpan span, string text, string option) =>
        span > TimeSpan.Zero ? span : throw new CliException($"{option} '{text}': expected a positive duration");

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|m|s)")]
    private static partial Regex Part();
}
