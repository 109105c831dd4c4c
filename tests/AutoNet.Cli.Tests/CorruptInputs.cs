using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Fresh copies of the tiny search's workspace (store, checkpoints, cache) and of a package exported from it, for one
/// test to corrupt, and the ways of corrupting a file: truncated, overwritten with random bytes, or a value of the
/// wrong type written where AutoNet wrote another.
/// </summary>
public sealed class CorruptInputs(TinySearchFixture search, string root, string package)
{
    public TinySearchFixture Search => search;

    public string Root => root;

    /// <summary>A copy of the search's workspace; its store is <see cref="Store"/>.</summary>
    public string Workspace { get; } = Path.Join(root, "workspace");

    public string Store => Path.Join(Workspace, "autonet.db");

    /// <summary>A copy of the package exported from the search's best trial.</summary>
    public string Package { get; } = Path.Join(root, "package");

    /// <summary>An image of the search's data, for predict.</summary>
    public string Image => Directory.EnumerateFiles(Path.Join(search.Data, "class3")).Order(StringComparer.Ordinal).First();

    /// <summary>Trial 2's checkpoint file <paramref name="name"/> in the workspace copy.</summary>
    public string Checkpoint(string name) => Path.Join(Workspace, "experiments", TinySearchFixture.Experiment, "trials", "0002", "checkpoint", name);

    public void CopyAll()
    {
        foreach (var file in Directory.EnumerateFiles(search.Workspace, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".worker-lock", StringComparison.Ordinal)))
        {
            var target = Path.Join(Workspace, Path.GetRelativePath(search.Workspace, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        FolderSnapshot.Copy(package, Package);
    }

    public static void Truncate(string path, long keep)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(Math.Min(keep, stream.Length));
    }

    public static void Randomize(string path, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Runs <paramref name="sql"/> on the store copy, as a tool other than AutoNet would change it.</summary>
    public void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Store};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, sql);
    }

    /// <summary>Rewrites a JSON file with one change.</summary>
    public static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>A safetensors file whose header is valid JSON with a value of the wrong type (a number for the dtype).</summary>
    public static void WrongTypeSafetensors(string path)
    {
        var header = Encoding.UTF8.GetBytes("""{"w":{"dtype":5,"shape":[2],"data_offsets":[0,8]}}""");
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)header.Length));
        stream.Write(header);
        stream.Write(new byte[8]);
    }

    /// <summary>A CSV manifest of the search's images in <see cref="Root"/>, with <paramref name="extra"/> appended.</summary>
    public string Manifest(string extra = "")
    {
        // In a folder of its own: the manifest's folder is the data folder, which the commands' outputs must stay out of.
        var path = Path.Join(root, "manifest", "manifest.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rows = new StringBuilder("path,label\n");
        foreach (var folder in new[] { "class1", "class3" })
        {
            foreach (var image in Directory.EnumerateFiles(Path.Join(search.Data, folder)).Order(StringComparer.Ordinal).Take(6))
            {
                rows.Append('"').Append(image).Append("\",").Append(folder).Append('\n');
            }
        }

        File.WriteAllText(path, rows + extra);
        return path;
    }

    /// <summary>A copy of the macro-cnn-tiny space file in <see cref="Root"/>.</summary>
    public string Space()
    {
        var path = Path.Join(root, "space.json");
        File.Copy(Path.Join(RepositoryPaths.Root, "search-spaces", "macro-cnn-tiny.json"), path);
        return path;
    }
}
