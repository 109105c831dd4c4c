using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Data.Decoding;
using AutoNet.Export.Onnx;
using AutoNet.Models.Architecture;

namespace AutoNet.Export.Packaging;

/// <summary>model.json: writes and reads a <see cref="ModelPackageDescription"/>, with errors naming the file and JSON path.</summary>
public static class ModelPackageJson
{
    public const string FormatName = "autonet-model";
    /// <summary>
    /// 2: the architecture carries its description ("description", schema <see cref="ArchitectureJson.SchemaVersion"/>;
    /// a transfer network's under "head"), from which model.py builds the network, and a macro-cnn's global pooling
    /// is "avg" (1 wrote "average"). Format 1 packages still load: their settings rebuild the same network.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The model.json field holding the description schema version.</summary>
    public const string DescriptionSchemaField = "description_schema_version";

    private static readonly Dictionary<string, OnnxChannelOrder> ChannelOrders = new(StringComparer.Ordinal)
    {
        ["RGB"] = OnnxChannelOrder.Rgb,
        ["BGR"] = OnnxChannelOrder.Bgr,
        ["grayscale"] = OnnxChannelOrder.Grayscale,
    };

    public static JsonObject ToJson(ModelPackageDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var pre = description.Preprocessing;
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["autonet_version"] = description.AutoNetVersion,
            ["created_utc"] = description.CreatedUtc?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [DescriptionSchemaField] = ArchitectureJson.SchemaVersion,
            ["architecture"] = description.Architecture.ToJson(),
            ["input"] = new JsonObject
            {
                ["layout"] = "NCHW",
                ["channels"] = pre.Channels,
                ["height"] = pre.Height,
                ["width"] = pre.Width,
                ["fit"] = OnnxPreprocessing.FitName(pre.Fit),
                ["fit_description"] = OnnxPreprocessing.FitDescription(pre.Fit),
                ["channel_order"] = OnnxModuleExporter.ChannelOrderName(pre.ChannelOrder),
                ["pixel_scale"] = pre.PixelScale,
                ["mean"] = new JsonArray(pre.Mean.Select(m => (JsonNode)m).ToArray()),
                ["std"] = new JsonArray(pre.Std.Select(s => (JsonNode)s).ToArray()),
                ["formula"] = "input[n, c, y, x] = (pixel[y, x, c] * pixel_scale - mean[c]) / std[c]",
            },
            ["class_names"] = new JsonArray(description.ClassNames.Select(c => (JsonNode)c).ToArray()),
        };
        if (description.Card is { } card)
        {
            json["card"] = CardToJson(card);
        }

        return json;
    }

    /// <summary>Indented, with class names and versions written as they are (the file is read by people too, never embedded in HTML).</summary>
    public static string ToJsonString(ModelPackageDescription description) =>
        ToJson(description).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Parses model.json text; <paramref name="file"/> names it in errors.</summary>
    public static ModelPackageDescription Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var f = new JsonFields(file);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ModelPackageException($"{file}: not valid JSON: {e.Message}", e);
        }

        var root = f.Object(node, "$");
        var format = f.String(root, "$", "format");
        if (format != FormatName)
        {
            throw f.Error("$.format", $"\"{format}\" is not \"{FormatName}\": not an AutoNet model description");
        }

        var version = f.Integer(root, "$", "format_version");
        if (version < 1 || version > FormatVersion)
        {
            throw f.Error("$.format_version", version > FormatVersion
                ? $"{version} is newer than this AutoNet reads (format versions 1 to {FormatVersion}); update AutoNet to load this package"
                : $"{version} is not supported; this AutoNet reads format versions 1 to {FormatVersion}");
        }

        if (root[DescriptionSchemaField] is { } schema && f.IntegerValue(schema, "$." + DescriptionSchemaField) != ArchitectureJson.SchemaVersion)
        {
            throw f.Error("$." + DescriptionSchemaField,
                $"{schema.ToJsonString()}: this AutoNet reads architecture descriptions of schema version {ArchitectureJson.SchemaVersion}; update AutoNet to load this package");
        }

        var architecture = ModelArchitecture.FromJson(f.Required(root, "$", "architecture"), f, "$.architecture");
        var input = f.Object(root, "$", "input");
        var order = f.Choice(input, "$.input", "channel_order", ChannelOrders);
        var mean = f.Array(input, "$.input", "mean").Select((m, i) => f.NumberValue(m, $"$.input.mean[{i}]")).ToArray();
        var std = f.Array(input, "$.input", "std").Select((s, i) => f.NumberValue(s, $"$.input.std[{i}]")).ToArray();
        var pre = new OnnxPreprocessing(f.Int32(input, "$.input", "height"), f.Int32(input, "$.input", "width"), order, mean, std,
            f.Number(input, "$.input", "pixel_scale"))
        {
            // Absent in packages written before the fit was recorded: they were centre-cropped.
            Fit = input["fit"] is null ? ImageFit.CenterCrop : f.Choice(input, "$.input", "fit", OnnxPreprocessing.FitNames),
        };
        try
        {
            pre.Validate();
        }
        catch (ArgumentException e)
        {
            throw f.Error("$.input", e.Message);
        }

        if (pre.Channels != architecture.InputChannels)
        {
            throw f.Error("$.input.channel_order", $"{order} input has {pre.Channels} channels, the architecture takes {architecture.InputChannels}");
        }

        var classes = f.Array(root, "$", "class_names").Select((c, i) => f.StringValue(c, $"$.class_names[{i}]")).ToArray();
        if (classes.Length != architecture.NumClasses)
        {
            throw f.Error("$.class_names", $"{classes.Length} names for a model with {architecture.NumClasses} classes");
        }

        var created = root["created_utc"] is { } c0 && DateTimeOffset.TryParse(f.StringValue(c0, "$.created_utc"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var when) ? when : (DateTimeOffset?)null;
        var card = root["card"] is { } cardNode ? CardFromJson(f.Object(cardNode, "$.card"), f) : null;
        var autonet = root["autonet_version"] is { } v ? f.StringValue(v, "$.autonet_version") : "unknown";
        return new ModelPackageDescription(architecture, pre, classes, card, autonet, created);
    }

    private static JsonObject CardToJson(ModelCard card)
    {
        var json = new JsonObject
        {
            ["title"] = card.Title,
            ["description"] = card.Description,
            ["data_set"] = card.DataSet,
            ["split"] = card.Split,
            ["experiment"] = card.Experiment,
            ["trial"] = card.Trial,
            ["metrics"] = card.Metrics is null ? null : new JsonObject(card.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["hyperparameters"] = card.Hyperparameters is null ? null
                : new JsonObject(card.Hyperparameters.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
        };
        if (card.Search is { } s)
        {
            json["search"] = new JsonObject
            {
                ["search_space"] = s.SearchSpace,
                ["strategy"] = s.Strategy,
                ["scheduler"] = s.Scheduler,
                ["trials_completed"] = s.TrialsCompleted,
                ["trials_pruned"] = s.TrialsPruned,
                ["trials_failed"] = s.TrialsFailed,
                ["duration_seconds"] = s.Duration?.TotalSeconds,
                ["device"] = s.Device,
                ["seed"] = s.Seed,
                ["notes"] = s.Notes is null ? null : new JsonArray(s.Notes.Select(n => (JsonNode)n).ToArray()),
            };
        }

        return json;
    }

    private static ModelCard CardFromJson(JsonObject json, JsonFields f)
    {
        string? Text(JsonObject o, string p, string name) => o[name] is { } n ? f.StringValue(n, $"{p}.{name}") : null;
        int? Int(JsonObject o, string p, string name) => o[name] is null ? null : f.Int32(o, p, name);

        const string p = "$.card";
        ModelSearchSummary? search = null;
        if (json["search"] is { } searchNode)
        {
            var s = f.Object(searchNode, p + ".search");
            var sp = p + ".search";
            search = new ModelSearchSummary
            {
                SearchSpace = Text(s, sp, "search_space"),
                Strategy = Text(s, sp, "strategy"),
                Scheduler = Text(s, sp, "scheduler"),
                TrialsCompleted = Int(s, sp, "trials_completed"),
                TrialsPruned = Int(s, sp, "trials_pruned"),
                TrialsFailed = Int(s, sp, "trials_failed"),
                Duration = f.OptionalNumber(s, sp, "duration_seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Device = Text(s, sp, "device"),
                Seed = Int(s, sp, "seed"),
                Notes = s["notes"] is null ? null : f.Array(s, sp, "notes").Select((n, i) => f.StringValue(n, $"{sp}.notes[{i}]")).ToArray(),
            };
        }

        return new ModelCard
        {
            Title = Text(json, p, "title"),
            Description = Text(json, p, "description"),
            DataSet = Text(json, p, "data_set"),
            Split = Text(json, p, "split"),
            Experiment = Text(json, p, "experiment"),
            Trial = Text(json, p, "trial"),
            Metrics = json["metrics"] is null ? null
                : f.Object(json, p, "metrics").ToDictionary(m => m.Key, m => f.NumberValue(m.Value, $"{p}.metrics.{m.Key}"), StringComparer.Ordinal),
            Hyperparameters = json["hyperparameters"] is null ? null
                : f.Object(json, p, "hyperparameters").ToDictionary(h => h.Key, h => f.StringValue(h.Value, $"{p}.hyperparameters.{h.Key}"), StringComparer.Ordinal),
            Search = search,
        };
    }
}
