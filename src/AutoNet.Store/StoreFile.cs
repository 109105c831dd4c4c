using System.Text;

namespace AutoNet.Store;

/// <summary>Tells the embedded engines' files apart by their first bytes, so a store opens with the engine that wrote it.</summary>
public static class StoreFile
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    // A LiteDB 5 file starts with its header page: a 32-byte page header, then this text.
    private static readonly byte[] LiteDbHeader = Encoding.ASCII.GetBytes("** This is a LiteDB file **");
    private const int LiteDbHeaderOffset = 32;

    /// <summary>The engine that wrote the file at <paramref name="path"/>; null when it is absent, empty, or neither's.</summary>
    public static StoreEngine? Detect(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var head = new byte[LiteDbHeaderOffset + LiteDbHeader.Length];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var bytes = head.AsSpan(0, read);
        if (bytes.StartsWith(SqliteHeader))
        {
            return StoreEngine.Sqlite;
        }

        return bytes.Length == head.Length && bytes[LiteDbHeaderOffset..].SequenceEqual(LiteDbHeader) ? StoreEngine.LiteDb : null;
    }
}
