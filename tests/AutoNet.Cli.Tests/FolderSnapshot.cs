using System.Security.Cryptography;

namespace AutoNet.Cli.Tests;

/// <summary>Every entry under a folder with its size and SHA-256, to show that a command left it byte-for-byte as it was.</summary>
public static class FolderSnapshot
{
    public static IReadOnlyList<string> Of(string folder) =>
    [
        .. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => File.Exists(path)
                ? $"{Path.GetRelativePath(folder, path)} {new FileInfo(path).Length} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}"
                : $"{Path.GetRelativePath(folder, path)}/"),
    ];

    /// <summary>Fails with the entries that appeared, went or changed since <paramref name="before"/>.</summary>
    public static void AssertUnchanged(string folder, IReadOnlyList<string> before)
    {
        var after = Of(folder);
        var gone = before.Except(after).ToList();
        var appeared = after.Except(before).ToList();
        Assert.True(gone.Count == 0 && appeared.Count == 0,
            $"{folder} changed:\n  before: {string.Join("\n  before: ", gone)}\n  after: {string.Join("\n  after: ", appeared)}");
    }

    /// <summary>Copies a folder tree (the tests corrupt or guard copies, never a shared fixture).</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Join(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Join(to, Path.GetRelativePath(from, file)));
        }
    }
}
