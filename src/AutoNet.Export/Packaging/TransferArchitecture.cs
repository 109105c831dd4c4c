using System.Text.Json.Nodes;
using AutoNet.Models.Genotypes;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

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

    public override Module Build()
    {
        var baseModel = Base.Build();
        try
        {
            return new TransferNetwork(FeatureExtractor.From(baseModel), Head, HeadClasses, FreezeFraction);
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }
    }

    /// <summary>Describes a built transfer network; its feature extractor must be one of AutoNet's networks (not a custom one).</summary>
    public static TransferArchitecture Of(TransferNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var baseArchitecture = network.Features.Module is AutoNet.Models.Backbones.Backbone backbone
            ? BackboneArchitecture.Of(backbone, allowNoClassifier: true)
            : Describe(network.Features.Module);
        return new TransferArchitecture(baseArchitecture, network.HeadSettings, network.NumClasses, network.FreezeFraction);
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

        return new TransferArchitecture(baseArchitecture, ReadHead(f.Object(json, path, "head"), f, path + ".head"), classes, freeze);
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
