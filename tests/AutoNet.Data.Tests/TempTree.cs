using System.Runtime.InteropServices;
using System.Text;

namespace AutoNet.Data.Tests;

/// <summary>
/// A fresh temporary folder for one test, deleted afterwards; never the repository. Helpers write files (non-empty
/// by default), make links, give files names that are not UTF-8, and snapshot the tree to prove a scan wrote nothing.
/// </summary>
public sealed partial class TempTree : IDisposable
{
    public TempTree() => Root = Directory.CreateTempSubdirectory("autonet-sources-").FullName;

    public string Root { get; }

    public string PathOf(string relative) => Path.Join(Root, relative);

    /// <summary>Writes a file (creating its folders); a few bytes unless told otherwise.</summary>
    public string File(string relative, int length = 16)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, Enumerable.Range(0, length).Select(i => (byte)(i + 1)).ToArray());
        return path;
    }

    public string Folder(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    /// <summary>A class folder per name with that many images each.</summary>
    public void Classes(params (string Name, int Count)[] classes)
    {
        foreach (var (name, count) in classes)
        {
            for (var i = 0; i < count; i++)
            {
                File($"{name}/img{i:D3}.png");
            }
        }
    }

    public void DirectoryLink(string relative, string target) => Directory.CreateSymbolicLink(PathOf(relative), target);

    /// <summary>Renames a file to a raw byte name (e.g. Latin-1 bytes that are not UTF-8) in the same folder.</summary>
    public void RenameToBytes(string relative, byte[] newName)
    {
        var from = Encoding.UTF8.GetBytes(PathOf(relative) + "\0");
        var folder = Encoding.UTF8.GetBytes(Path.GetDirectoryName(PathOf(relative)) + "/");
        var to = folder.Concat(newName).Append((byte)0).ToArray();
        if (Rename(from, to) != 0)
        {
            throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Every entry below the root (links not followed) with its size and modification time.</summary>
    public List<string> Snapshot()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 };
        var lines = new List<string>();
        void Walk(string folder)
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
            {
                var size = entry is FileInfo f && f.LinkTarget is null ? f.Length : -1;
                lines.Add($"{entry.FullName}|{size}|{entry.LastWriteTimeUtc.Ticks}|{entry.LinkTarget}");
                if (entry is DirectoryInfo d && d.LinkTarget is null)
                {
                    Walk(d.FullName);
                }
            }
        }

        lines.Add($"{Root}|{new DirectoryInfo(Root).LastWriteTimeUtc.Ticks}");
        Walk(Root);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // .NET cannot name a file whose name is not UTF-8; rm can.
            using var rm = System.Diagnostics.Process.Start("rm", ["-rf", "--", Root]);
            rm.WaitForExit();
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static partial int Rename(byte[] from, byte[] to);
}
