using System.Text.Json.Nodes;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Packaging;

/// <summary>
/// What model.json's "architecture" holds: enough to rebuild the module (then the weights load into it). One of
/// <see cref="CellNetworkArchitecture"/>, <see cref="MacroCnnArchitecture"/>, <see cref="BackboneArchitecture"/>,
/// <see cref="TransferArchitecture"/>, told apart by <see cref="Kind"/>.
/// </summary>
public abstract record ModelArchitecture
{
    private protected ModelArchitecture()
    {
    }

    /// <summary>"cell_network", "macro_cnn", "backbone" or "transfer".</summary>
    public abstract string Kind { get; }

    /// <summary>Input channels the network takes.</summary>
    public abstract long InputChannels { get; }

    /// <summary>Classifier outputs.</summary>
    public abstract long NumClasses { get; }

    /// <summary>Builds the module with fresh (random, seeded by Torch.ManualSeed) weights.</summary>
    public abstract Module Build();

    /// <summary>The description as model.json writes it.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = Kind };
        foreach (var (key, value) in Fields())
        {
            json[key] = value;
        }

        return json;
    }

    private protected abstract IEnumerable<KeyValuePair<string, JsonNode?>> Fields();

    /// <summary>Describes a built module: a <see cref="CellNetwork"/>, <see cref="MacroCnnNetwork"/>, <see cref="Backbone"/> or <see cref="TransferNetwork"/>.</summary>
    public static ModelArchitecture Describe(Module model) => model switch
    {
        CellNetwork cell => new CellNetworkArchitecture(cell.Genotype, cell.Settings),
        MacroCnnNetwork macro => new MacroCnnArchitecture(macro.Config),
        Backbone backbone => BackboneArchitecture.Of(backbone),
        TransferNetwork transfer => TransferArchitecture.Of(transfer),
        null => throw new ArgumentNullException(nameof(model)),
        _ => throw new NotSupportedException(
            $"a {model.GetType().Name} cannot be packaged: expected a CellNetwork, MacroCnnNetwork, Backbone or TransferNetwork"),
    };

    /// <summary>Reads the description at <paramref name="path"/> in <paramref name="file"/>; errors name both.</summary>
    public static ModelArchitecture FromJson(JsonNode? node, string file, string path = "$.architecture") =>
        FromJson(node, new JsonFields(file), path);

    /// <param name="asFeatureExtractor">a transfer network's base: a backbone may have no classifier (0 classes)</param>
    internal static ModelArchitecture FromJson(JsonNode? node, JsonFields fields, string path, bool asFeatureExtractor = false)
    {
        var json = fields.Object(node, path);
        var kind = fields.String(json, path, "kind");
        return kind switch
        {
            CellNetworkArchitecture.KindName => CellNetworkArchitecture.Read(json, fields, path),
            MacroCnnArchitecture.KindName => MacroCnnArchitecture.Read(json, fields, path),
            BackboneArchitecture.KindName => BackboneArchitecture.Read(json, fields, path, allowNoClassifier: asFeatureExtractor),
            TransferArchitecture.KindName => TransferArchitecture.Read(json, fields, path),
            _ => throw fields.Error(path + ".kind",
                $"\"{kind}\" is not an architecture kind; expected \"{CellNetworkArchitecture.KindName}\", \"{MacroCnnArchitecture.KindName}\", " +
                $"\"{BackboneArchitecture.KindName}\" or \"{TransferArchitecture.KindName}\""),
        };
    }
}
