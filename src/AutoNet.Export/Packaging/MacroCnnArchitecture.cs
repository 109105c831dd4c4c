using System.Text.Json.Nodes;
using AutoNet.Models.MacroCnn;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Export.Packaging;

/// <summary>A <see cref="MacroCnnNetwork"/>: its <see cref="MacroCnnConfig"/>.</summary>
public sealed record MacroCnnArchitecture(MacroCnnConfig Config) : ModelArchitecture
{
    public const string KindName = "macro_cnn";

    private static readonly Dictionary<string, MacroCnnDownsampling> Downsamplings = new(StringComparer.Ordinal)
    {
        ["max_pool"] = MacroCnnDownsampling.MaxPool,
        ["avg_pool"] = MacroCnnDownsampling.AvgPool,
        ["strided_conv"] = MacroCnnDownsampling.StridedConv,
    };

    public override string Kind => KindName;

    public override long InputChannels => Config.InputChannels;

    public override long NumClasses => Config.NumClasses;

    public override nn.Module<Tensor, Tensor> Build() => new MacroCnnNetwork(Config);

    public override ArchNode? Description => MacroCnnNetwork.Describe(Config);

    private protected override IEnumerable<KeyValuePair<string, JsonNode?>> Fields()
    {
        yield return new("config", new JsonObject
        {
            ["input_channels"] = Config.InputChannels,
            ["num_classes"] = Config.NumClasses,
            ["stages"] = new JsonArray(Config.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["width"] = s.Width,
                ["depth"] = s.Depth,
                ["kernel_size"] = s.KernelSize,
                ["residual"] = s.Residual,
            }).ToArray()),
            ["downsampling"] = Downsamplings.Single(d => d.Value == Config.Downsampling).Key,
            ["global_pooling"] = Config.GlobalPooling.ToName(),
            ["dropout"] = Config.Dropout,
        });
    }

    internal static MacroCnnArchitecture Read(JsonObject json, JsonFields f, string path)
    {
        var c = f.Object(json, path, "config");
        var p = path + ".config";
        var stages = new List<MacroCnnStage>();
        var array = f.Array(c, p, "stages");
        for (var i = 0; i < array.Count; i++)
        {
            var sp = $"{p}.stages[{i}]";
            var s = f.Object(array[i], sp);
            stages.Add(new MacroCnnStage(f.Int32(s, sp, "width"), f.Int32(s, sp, "depth"), f.Int32(s, sp, "kernel_size"), f.Boolean(s, sp, "residual")));
        }

        var config = new MacroCnnConfig(f.Int32(c, p, "input_channels"), f.Int32(c, p, "num_classes"), stages,
            f.Choice(c, p, "downsampling", Downsamplings), GlobalPooling(c, f, p), f.Number(c, p, "dropout"));
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw f.Error(p, e.Message);
        }

        return CheckDescription(new MacroCnnArchitecture(config), json, f, path);
    }

    // The names live beside the enum (AutoNet.Models' GlobalPoolingNames), which also reads the "average" of format 1.
    private static GlobalPooling GlobalPooling(JsonObject config, JsonFields f, string path)
    {
        var name = f.String(config, path, "global_pooling");
        return GlobalPoolingNames.TryParse(name, out var pooling)
            ? pooling
            : throw f.Error(path + ".global_pooling", $"\"{name}\" is not one of \"{GlobalPoolingNames.Average}\", \"{GlobalPoolingNames.Max}\"");
    }
}
