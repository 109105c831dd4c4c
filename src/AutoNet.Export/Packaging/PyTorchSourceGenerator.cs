using System.Text;

namespace AutoNet.Export.Packaging;

/// <summary>
/// Writes a package's standalone model.py: a small interpreter that builds PyTorch modules from model.json's
/// architecture descriptions (the same descriptions AutoNet's modules and ONNX graphs come from, so no network piece is
/// written again in Python; torchvision's constructors for backbones), with AutoNet's state-dict keys, a pure-python safetensors reader (numpy + struct; torch 1.13 predates the safetensors
/// package), and <c>load()</c>, which rebuilds the network from the embedded copy of model.json and loads
/// weights.safetensors from the same folder. Only torch and numpy are needed (torchvision for a torchvision backbone).
/// </summary>
public static class PyTorchSourceGenerator
{
    private const string Placeholder = "__AUTONET_MODEL_JSON_BASE64__";

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(PyTorchSourceGenerator).Assembly.GetManifestResourceStream("AutoNet.Export.Packaging.model_template.py")
            ?? throw new InvalidOperationException("AutoNet.Export is missing its embedded model.py template");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>model.py for the package whose model.json text is <paramref name="modelJson"/>.</summary>
    public static string Generate(string modelJson)
    {
        ArgumentNullException.ThrowIfNull(modelJson);

        // Base64 keeps any class name (quotes, backslashes, emoji) from breaking the Python literal.
        return Template.Value.Replace(Placeholder, Convert.ToBase64String(Encoding.UTF8.GetBytes(modelJson)), StringComparison.Ordinal);
    }
}
