using System.Globalization;

namespace AutoNet.Data.Cache;

/// <summary>Which file, if any, backs an address of this process, from Linux's <c>/proc/self/maps</c>.</summary>
internal static class MappedMemory
{
    private const string Maps = "/proc/self/maps";

    /// <summary>The path of the file mapped at <paramref name="address"/>; null for anonymous memory (heap, stacks).</summary>
    public static string? FileAt(ulong address)
    {
        // Each line: "start-end perms offset major:minor inode [path]"; a file mapping has a non-zero inode and an
        // absolute path (a deleted file's ends in " (deleted)").
        foreach (var line in File.ReadLines(Maps))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6)
            {
                continue;
            }

            var range = fields[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (address < start || address >= end)
            {
                continue;
            }

            var path = fields[5].Trim();
            return fields[4] != "0" && path.StartsWith('/') ? path : null;
        }

        return null;
    }
}
