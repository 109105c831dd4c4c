using System.Text.Json;
using System.Text.Json.Nodes;
using AutoNet.Data.Loading;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Splits;

/// <summary>
/// A persisted train/validation/test assignment: the part of every sample by its <see cref="LabelledSample.Key"/>,
/// with the seed and fractions that made it and counts overall and per class. Saved as JSON with the experiment
/// so that every trial, evaluation and export use the same split.
/// </summary>
public sealed class DataSplit
{
    public const int FormatVersion = 1;

    private DataSplit(int seed, SplitFractions fractions, IReadOnlyList<string> classNames, IReadOnlyDictionary<string, SplitPart> assignments, int[][] classCounts)
    {
        Seed = seed;
        Fractions = fractions;
        ClassNames = classNames;
        Assignments = assignments;
        ClassCounts = classCounts;
    }

    public int Seed { get; }

    public SplitFractions Fractions { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Each sample's part, by key.</summary>
    public IReadOnlyDictionary<string, SplitPart> Assignments { get; }

    /// <summary>Samples per class (by label) and part: ClassCounts[label][(int)part].</summary>
    public IReadOnlyList<int[]> ClassCounts { get; }

    /// <summary>Samples in a part.</summary>
    public int Count(SplitPart part) => ClassCounts.Sum(c => c[(int)part]);

    /// <summary>Class counts and weights of one part (the training part's weights are the trainer's class weights).</summary>
    public ClassBalance Balance(SplitPart part) => new(ClassNames, [.. ClassCounts.Select(c => c[(int)part])]);

    public SplitPart PartOf(string key) => Assignments.TryGetValue(key, out var part)
        ? part
        : throw new KeyNotFoundException($"sample '{key}' is not in the split");

    /// <summary>The listing's samples in one part, in listing order; every sample must be in the split.</summary>
    public IReadOnlyList<LabelledSample> Select(DataSetListing listing, SplitPart part)
    {
        ArgumentNullException.ThrowIfNull(listing);
        CheckMatches(listing);
        return [.. listing.Samples.Where(s => Assignments[s.Key] == part)];
    }

    /// <summary>Throws a <see cref="DataSetException"/> when the listing's samples or classes differ from the split's.</summary>
    public void CheckMatches(DataSetListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (!listing.ClassNames.SequenceEqual(ClassNames, StringComparer.Ordinal))
        {
            throw new DataSetException(listing.Source, $"data set '{listing.Source}' has classes [{string.Join(", ", listing.ClassNames)}] but the split was made for [{string.Join(", ", ClassNames)}]");
        }

        var missing = listing.Samples.Where(s => !Assignments.ContainsKey(s.Key)).Select(s => s.Key).Take(5).ToList();
        if (missing.Count > 0 || listing.Samples.Count != Assignments.Count)
        {
            throw new DataSetException(listing.Source, $"data set '{listing.Source}' has changed since the split was made: {listing.Samples.Count} samples now, {Assignments.Count} in the split" + (missing.Count > 0 ? $"; not in the split: {string.Join(", ", missing)}" : string.Empty));
        }
    }

    internal static DataSplit Create(int seed, SplitFractions fractions, DataSetListing listing, Dictionary<string, SplitPart> assignments)
    {
        var classCounts = listing.ClassNames.Select(_ => new int[3]).ToArray();
        foreach (var sample in listing.Samples)
        {
            classCounts[sample.Label][(int)assignments[sample.Key]]++;
        }

        var sorted = new SortedDictionary<string, SplitPart>(assignments, StringComparer.Ordinal);
        return new DataSplit(seed, fractions, [.. listing.ClassNames], sorted, classCounts);
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["seed"] = Seed,
            ["fractions"] = new JsonObject { ["train"] = Fractions.Train, ["validation"] = Fractions.Validation, ["test"] = Fractions.Test },
            ["classNames"] = new JsonArray([.. ClassNames.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["counts"] = new JsonObject { ["train"] = Count(SplitPart.Train), ["validation"] = Count(SplitPart.Validation), ["test"] = Count(SplitPart.Test) },
            ["classCounts"] = new JsonArray([.. ClassCounts.Select(c => (JsonNode?)new JsonArray(c[0], c[1], c[2]))]),
            ["assignments"] = new JsonObject(Assignments.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(Name(a.Value))))),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the split as JSON (through a temporary file, so a crash never leaves half a split).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    public static DataSplit Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(path, $"cannot read split file '{path}': {e.Message}", e);
        }

        return FromJson(text, path);
    }

    public static DataSplit FromJson(string json, string sourceName = "split")
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("not a JSON object");
            var version = root["version"]?.GetValue<int>() ?? throw new FormatException("field 'version' is missing");
            if (version != FormatVersion)
            {
                throw new FormatException($"field 'version' is {version}, expected {FormatVersion}");
            }

            var seed = Required(root, "seed").GetValue<int>();
            var f = Required(root, "fractions");
            var fractions = new SplitFractions(Required(f, "train").GetValue<double>(), Required(f, "validation").GetValue<double>(), Required(f, "test").GetValue<double>());
            var classNames = Required(root, "classNames").AsArray().Select(n => n!.GetValue<string>()).ToList();
            var assignments = new SortedDictionary<string, SplitPart>(StringComparer.Ordinal);
            foreach (var (key, value) in Required(root, "assignments").AsObject())
            {
                var name = value?.GetValue<string>() ?? throw new FormatException($"assignment of '{key}' is null");
                assignments[key] = Parse(name) ?? throw new FormatException($"assignment of '{key}' is '{name}', expected train, validation or test");
            }

            var classCounts = Required(root, "classCounts").AsArray()
                .Select(c => c!.AsArray().Select(v => v!.GetValue<int>()).ToArray())
                .ToArray();
            if (classCounts.Length != classNames.Count || classCounts.Any(c => c.Length != 3))
            {
                throw new FormatException($"field 'classCounts' must hold 3 counts for each of the {classNames.Count} classes");
            }

            if (classCounts.Sum(c => c.Sum()) != assignments.Count)
            {
                throw new FormatException($"field 'classCounts' adds up to {classCounts.Sum(c => c.Sum())} samples but 'assignments' holds {assignments.Count}");
            }

            return new DataSplit(seed, fractions, classNames, assignments, classCounts);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new DataSetException(sourceName, $"split file '{sourceName}' is invalid: {e.Message}", e);
        }
    }

    private static JsonNode Required(JsonNode node, string name) =>
        node[name] ?? throw new FormatException($"field '{name}' is missing");

    private static string Name(SplitPart part) => part switch
    {
        SplitPart.Train => "train",
        SplitPart.Validation => "validation",
        _ => "test",
    };

    private static SplitPart? Parse(string name) => name switch
    {
        "train" => SplitPart.Train,
        "validation" => SplitPart.Validation,
        "test" => SplitPart.Test,
        _ => null,
    };
}
