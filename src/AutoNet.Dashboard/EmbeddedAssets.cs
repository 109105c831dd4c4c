using System.Collections.Frozen;
using System.Reflection;

namespace AutoNet.Dashboard;

/// <summary>
/// The pages, scripts, styles and chart library compiled into the assembly. A request names an asset; it is looked up
/// in this fixed table and never turned into a path, so no request can reach a file.
/// </summary>
internal sealed class EmbeddedAssets
{
    private const string Prefix = "assets/";
    private readonly FrozenDictionary<string, byte[]> _assets;

    private EmbeddedAssets(FrozenDictionary<string, byte[]> assets) => _assets = assets;

    public static EmbeddedAssets Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var assets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name[Prefix.Length..]] = copy.ToArray();
        }

        if (!assets.ContainsKey("echarts.min.js"))
        {
            throw new InvalidOperationException($"{assembly.GetName().Name} was built without its chart library (node_modules/echarts); build it again with npm on PATH");
        }

        return new EmbeddedAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string name, out byte[] content) => _assets.TryGetValue(name, out content!);

    public string Text(string name) => System.Text.Encoding.UTF8.GetString(_assets[name]);

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
