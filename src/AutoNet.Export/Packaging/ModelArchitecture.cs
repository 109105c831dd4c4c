using System.Text.Json.Nodes;
using AutoNet.Models.Backbones;
using AutoNet.Models.Cells;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Transfer;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

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

    /// <summary>The name of the architecture description field in model.json (format 2), which model.py builds from.</summary>
    public const string DescriptionField = "description";

    /// <summary>
    /// The network's architecture description, written to model.json (its "description") for model.py and other
    /// readers; null where the network is not built from one (a torchvision backbone, a transfer network: its head
    /// has its own).
    /// </summary>
    public virtual ArchNode? Description => null;

    /// <summary>Builds the module with fresh (random, seeded by torch.manual_seed) weights.</summary>
    public abstract nn.Module<Tensor, Tensor> Build();

    /// <summary>The description as model.json writes it.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = Kind };
        foreach (var (key, value) in Fields())
        {
            json[key] = value;
        }

        if (Description is { } description)
        {
            json[DescriptionField] = JsonNode.Parse(ArchitectureJson.Serialize(description));
        }

        return json;
    }

    private protected abstract IEnumerable<KeyValuePair<string, JsonNode?>> Fields();

    /// <summary>Describes a built module: a <see cref="CellNetwork"/>, <see cref="MacroCnnNetwork"/>, <see cref="Backbone"/> or <see cref="TransferNetwork"/>.</summary>
    public static ModelArchitecture Describe(nn.Module<Tensor, Tensor> model) => model switch
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

    /// <summary>Reads the optional description beside <paramref name="path"/>'s settings (absent in format 1).</summary>
    private protected static ArchNode? ReadDescription(JsonObject json, JsonFields f, string path)
    {
        if (json[DescriptionField] is not { } node)
        {
            return null;
        }

        try
        {
            return ArchitectureJson.Deserialize(node.ToJsonString());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
        {
            throw f.Error($"{path}.{DescriptionField}", $"not an architecture description: {e.Message}");
        }
    }

    /// <summary>
    /// Checks that the description model.json records (model.py builds from it) is the one <paramref name="architecture"/>'s
    /// settings give (AutoNet builds from those); a package whose two disagree was edited or damaged.
    /// </summary>
    private protected static T CheckDescription<T>(T architecture, JsonObject json, JsonFields f, string path)
        where T : ModelArchitecture
    {
        if (json[DescriptionField] is { } stored && architecture.Description is { } expected
            && !JsonNode.DeepEquals(stored, JsonNode.Parse(ArchitectureJson.Serialize(expected))))
        {
            throw f.Error($"{path}.{DescriptionField}", $"is not the network its settings build (model.py would build another network than AutoNet); the file was edited or is damaged");
        }

        return architecture;
    }
}
