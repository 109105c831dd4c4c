using System.Text.Json.Nodes;
using AutoNet.Models.Cells;
using AutoNet.Models.Genotypes;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Export.Packaging;

/// <summary>A <see cref="CellNetwork"/>: its genotype (the genotype JSON) and <see cref="CellNetworkSettings"/>.</summary>
public sealed record CellNetworkArchitecture(Genotype Genotype, CellNetworkSettings Settings) : ModelArchitecture
{
    public const string KindName = "cell_network";

    public override string Kind => KindName;

    public override long InputChannels => Settings.InputChannels;

    public override long NumClasses => Settings.NumClasses;

    public override nn.Module<Tensor, Tensor> Build() => new CellNetwork(Genotype, Settings);

    public override ArchNode? Description => CellNetwork.Describe(Genotype, Settings);

    private protected override IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        yield return new("genotype", JsonNode.Parse(Genotype.ToJson(indented: false)));
        yield return new("genotype_hash", Genotype.Hash);
        yield return new("settings", new JsonObject
        {
            ["initial_channels"] = Settings.InitialChannels,
            ["cells_per_stage"] = Settings.CellsPerStage,
            ["stages"] = Settings.Stages,
            ["input_channels"] = Settings.InputChannels,
            ["num_classes"] = Settings.NumClasses,
            ["stem_multiplier"] = Settings.StemMultiplier,
            ["dropout"] = Settings.Dropout,
            ["drop_path"] = Settings.DropPath,
        });
    }

    internal static CellNetworkArchitecture Read(JsonObject json, JsonFields f, string path)
    {
        var genotypeNode = f.Object(json, path, "genotype");
        Genotype genotype;
        try
        {
            genotype = Genotype.FromJson(genotypeNode.ToJsonString());
        }
        catch (GenotypeException e)
        {
            throw f.Error(path + ".genotype", e.Message);
        }

        var s = f.Object(json, path, "settings");
        var p = path + ".settings";
        var settings = new CellNetworkSettings(
            f.Int32(s, p, "initial_channels"), f.Int32(s, p, "cells_per_stage"), f.Int32(s, p, "stages"), f.Int32(s, p, "input_channels"),
            f.Int32(s, p, "num_classes"), f.Int32(s, p, "stem_multiplier"), f.Number(s, p, "dropout"), f.Number(s, p, "drop_path"));
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw f.Error(p, e.Message);
        }

        return CheckDescription(new CellNetworkArchitecture(genotype, settings), json, f, path);
    }
}
