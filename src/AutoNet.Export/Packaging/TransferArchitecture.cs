using System.Text.Json.Nodes;
using AutoNet.Models.Transfer;
using AutoNet.Torch.NN;

namespace AutoNet.Export.Packaging;

/// <summary>A <see cref="TransferNetwork"/>: the base network's description, the new class count and the head's dropout.</summary>
public sealed record TransferArchitecture(ModelArchitecture Base, long HeadClasses, double Dropout = 0.0) : ModelArchitecture
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
            return new TransferNetwork(baseModel, HeadClasses, Dropout);
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }
    }

    private protected override IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        yield return new("base", Base.ToJson());
        yield return new("num_classes", HeadClasses);
        yield return new("dropout", Dropout);
    }

    internal static TransferArchitecture Read(JsonObject json, JsonFields f, string path)
    {
        var baseArchitecture = FromJson(f.Required(json, path, "base"), f, path + ".base");
        var classes = f.Integer(json, path, "num_classes");
        if (classes < 1)
        {
            throw f.Error(path + ".num_classes", $"{classes}: expected at least 1 class");
        }

        var dropout = f.Number(json, path, "dropout");
        if (!(dropout >= 0 && dropout < 1))
        {
            throw f.Error(path + ".dropout", $"{dropout}: expected a probability in [0, 1)");
        }

        return new TransferArchitecture(baseArchitecture, classes, dropout);
    }
}
