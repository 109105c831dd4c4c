using System.Text;
using AutoNet.Data.Cache;

namespace AutoNet.Data.Sources;

/// <summary>
/// Writes every entry left out of a data set (by the scan or because it could not be decoded) as a CSV file
/// <c>path,reason,detail</c> into the workspace, so the terminal can show a summary and point at the full list.
/// </summary>
public static class SkippedFileReport
{
    public const string FileName = "skipped.csv";

    public static void Write(string path, IEnumerable<SkippedEntry> scanned, IEnumerable<DecodeFailure> undecodable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(scanned);
        ArgumentNullException.ThrowIfNull(undecodable);
        var text = new StringBuilder("path,reason,detail\n");
        foreach (var entry in scanned)
        {
            Row(text, entry.Path, entry.Reason.ToString(), entry.Detail);
        }

        foreach (var failure in undecodable.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            Row(text, failure.Path, failure.Failure.ToString(), failure.Detail);
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    private static void Row(StringBuilder text, string path, string reason, string detail) =>
        text.Append(Quote(path)).Append(',').Append(reason).Append(',').Append(Quote(detail)).Append('\n');

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
