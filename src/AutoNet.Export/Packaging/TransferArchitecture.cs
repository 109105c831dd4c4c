using System.Text.Json.Nodes;
using AutoNet.Models.Genotypes;
using AutoNet.Models.Transfer;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Export.Packaging;

/// <summary>
/// A <see cref="TransferNetwork"/>: its feature extractor's description (a backbone may have no classifier), the head
/// (kind, MLP hidden width, dropout; for a cell head its genotype and channels), the new class count and the frozen
/// fraction used while fine-tuning.
/// </summary>
public sealed record TransferArchitecture(ModelArchitecture Base, TransferHead Head, long HeadClasses, double FreezeFraction = 0.0) : ModelArchitecture
{
    public const string KindName = "transfer";

    public override string Kind => KindName;

    public override long InputChannels => Base.InputChannels;

    public override long NumClasses => HeadClasses;

    /// <summary>
    /// The head's architecture description as model.json records it (model.py builds the head from it); null for a
    /// package written before descriptions were recorded (format 1). Building checks it against the head the
    /// settings give.
    /// </summary>
    public ArchNode? HeadDescription { get; init; }

    public override nn.Module<Tensor, Tensor> Build()
    {
        var baseModel = Base.Build();
        TransferNetwork network;
        try
        {
            network = new TransferNetwork(FeatureExtractor.From(baseModel), Head, HeadClasses, FreezeFraction);
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }

        if (HeadDescription is not null && ArchitectureJson.Serialize(HeadDescription) != ArchitectureJson.Serialize(network.HeadDescription))
        {
            network.Dispose();
            throw new ArgumentException(
                $"the head description (architecture.head.{DescriptionField}) is not the head its settings build on {Base.Kind} features; the file was edited or is damaged");
        }

        return network;
    }

    /// <summary>Describes a built transfer network; its feature extractor must be one of AutoNet's networks (not a custom one).</summary>
    public static TransferArchitecture Of(TransferNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var baseArchitecture = network.Features.Module is AutoNet.Models.Backbones.Backbone backbone
            ? BackboneArchitecture.Of(backbone, allowNoClassifier: true)
            : Describe(network.Features.Module);
        return new TransferArchitecture(baseArchitecture, network.HeadSettings, network.NumClasses, network.FreezeFraction) { HeadDescription = network.HeadDescription };
    }

    private protected override IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        var head = new JsonObject
        {
            ["kind"] = HeadKindName(Head.Kind),
            ["hidden"] = Head.Hidden,
            ["dropout"] = Head.Dropout,
        };
        if (Head.Kind == TransferHeadKind.Cell)
        {
            head["cell"] = JsonNode.Parse(new Genotype(Head.Cell!, Head.Cell!).ToJson(indented: false))!["normal"]!.DeepClone();
            head["cell_channels"] = Head.CellChannels;
        }

        if (HeadDescription is not null)
        {
            head[DescriptionField] = JsonNode.Parse(ArchitectureJson.Serialize(HeadDescription));
        }

        yield return new("base", Base.ToJson());
        yield return new("head", head);
        yield return new("num_classes", HeadClasses);
        yield return new("freeze_fraction", FreezeFraction);
    }

    internal static string HeadKindName(TransferHeadKind kind) => kind switch
    {
        TransferHeadKind.Linear => "linear",
        TransferHeadKind.Mlp => "mlp",
        TransferHeadKind.Cell => "cell",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown transfer head kind"),
    };

    internal static TransferArchitecture Read(JsonObject json, JsonFields f, string path)
    {
        var baseArchitecture = FromJson(f.Required(json, path, "base"), f, path + ".base", asFeatureExtractor: true);
        var classes = f.Integer(json, path, "num_classes");
        if (classes < 1)
        {
            throw f.Error(path + ".num_classes", $"{classes}: expected at least 1 class");
        }

        var freeze = f.Number(json, path, "freeze_fraction");
        if (!(freeze >= 0 && freeze <= 1))
        {
            throw f.Error(path + ".freeze_fraction", $"{freeze}: expected a fraction in [0, 1]");
        }

        var headJson = f.Object(json, path, "head");
        return new TransferArchitecture(baseArchitecture, ReadHead(headJson, f, path + ".head"), classes, freeze)
        {
            HeadDescription = ReadDescription(headJson, f, path + ".head"),
        };
    }

    private static TransferHead ReadHead(JsonObject json, JsonFields f, string path)
    {
        var kindName = f.String(json, path, "kind");
        var kind = kindName switch
        {
            "linear" => TransferHeadKind.Linear,
            "mlp" => TransferHeadKind.Mlp,
            "cell" => TransferHeadKind.Cell,
            _ => throw f.Error(path + ".kind", $"\"{kindName}\" is not a transfer head kind; expected \"linear\", \"mlp\" or \"cell\""),
        };
        var hidden = f.Int32(json, path, "hidden");
        var dropout = f.Number(json, path, "dropout");
        CellGenotype? cell = null;
        var channels = 64;
        if (kind == TransferHeadKind.Cell)
        {
            var cellNode = f.Object(json, path, "cell");
            try
            {
                cell = Genotype.FromJson(new JsonObject { ["normal"] = cellNode.DeepClone(), ["reduction"] = cellNode.DeepClone() }.ToJsonString()).Normal;
            }
            catch (GenotypeException e)
            {
                throw f.Error(path + ".cell", e.Message);
            }

            channels = f.Int32(json, path, "cell_channels");
        }

        var head = new TransferHead(kind, hidden, dropout, cell, channels);
        try
        {
            head.Validate();
        }
        catch (ArgumentException e)
        {
            throw f.Error(path, e.Message);
        }

        return head;
    }
}
