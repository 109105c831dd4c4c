using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AutoNet.Search.Spaces;

/// <summary>
/// One point of a search space as strategies see it: ordered label → typed value pairs, with only
/// the active decisions present. Its canonical JSON (labels sorted ordinally, no whitespace) and the
/// SHA-256 of it do not depend on the order the values were added in, so the same point sampled
/// twice is recognised.
/// </summary>
public sealed class SearchSample : IEquatable<SearchSample>
{
    private readonly KeyValuePair<string, ParameterValue>[] _entries;
    private readonly Dictionary<string, ParameterValue> _byLabel;
    private string? _canonical;
    private string? _hash;

    public SearchSample(IEnumerable<KeyValuePair<string, ParameterValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        _byLabel = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var (label, value) in _entries)
        {
            if (string.IsNullOrEmpty(label))
            {
                throw new ArgumentException("a sample label must not be empty", nameof(entries));
            }

            if (!_byLabel.TryAdd(label, value))
            {
                throw new ArgumentException($"the label '{label}' appears twice in the sample", nameof(entries));
            }
        }
    }

    public static SearchSample Empty { get; } = new([]);

    /// <summary>The values in the order they were given (for sampled points, the space's decision order).</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Entries => _entries;

    public IEnumerable<string> Labels => _entries.Select(e => e.Key);

    public int Count => _entries.Length;

    public ParameterValue this[string label] => _byLabel.TryGetValue(label, out var value)
        ? value
        : throw new KeyNotFoundException($"the sample has no value for '{label}' (it has {string.Join(", ", Labels)})");

    public bool Contains(string label) => _byLabel.ContainsKey(label);

    public bool TryGetValue(string label, out ParameterValue value) => _byLabel.TryGetValue(label, out value);

    public string GetString(string label) => this[label].AsString();

    public int GetInt32(string label) => this[label].AsInt32();

    public long GetInt64(string label) => this[label].AsInt64();

    public double GetDouble(string label) => this[label].AsDouble();

    public bool GetBool(string label) => this[label].AsBool();

    /// <summary>A copy with <paramref name="label"/> set to <paramref name="value"/> (replaced in place, or appended).</summary>
    public SearchSample With(string label, ParameterValue value)
    {
        var entries = _entries.ToList();
        var index = entries.FindIndex(e => e.Key == label);
        if (index >= 0)
        {
            entries[index] = new(label, value);
        }
        else
        {
            entries.Add(new(label, value));
        }

        return new SearchSample(entries);
    }

    /// <summary>The canonical text: a JSON object with the labels in ordinal order and no whitespace.</summary>
    public string ToCanonicalJson() => _canonical ??= BuildCanonical();

    /// <summary>The lowercase hex SHA-256 of <see cref="ToCanonicalJson"/>.</summary>
    public string Hash => _hash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));

    /// <summary>The values as a JSON object in <see cref="Entries"/> order, one per line when indented.</summary>
    public string ToJson(bool indented = true)
    {
        if (!indented)
        {
            return "{" + string.Join(",", _entries.Select(e => JsonSerializer.Serialize(e.Key) + ":" + e.Value.ToJson())) + "}";
        }

        return _entries.Length == 0
            ? "{}"
            : "{\n" + string.Join(",\n", _entries.Select(e => "  " + JsonSerializer.Serialize(e.Key) + ": " + e.Value.ToJson())) + "\n}";
    }

    /// <summary>Reads a sample written by <see cref="ToJson"/> or <see cref="ToCanonicalJson"/>; numbers with '.' or an exponent are floats.</summary>
    public static SearchSample FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"a sample is a JSON object of label → value, got {document.RootElement.ValueKind}");
        }

        var entries = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = ParameterValue.FromJson(property.Value)
                ?? throw new FormatException($"the value of '{property.Name}' must be a string, number or boolean, got {property.Value.GetRawText()}");
            entries.Add(new(property.Name, value));
        }

        return new SearchSample(entries);
    }

    public bool Equals(SearchSample? other) => other is not null && ToCanonicalJson() == other.ToCanonicalJson();

    public override bool Equals(object? obj) => Equals(obj as SearchSample);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCanonicalJson());

    public override string ToString() => ToJson(indented: false);

    private string BuildCanonical()
    {
        var sorted = _entries.OrderBy(e => e.Key, StringComparer.Ordinal);
        return "{" + string.Join(",", sorted.Select(e => JsonSerializer.Serialize(e.Key) + ":" + e.Value.ToJson())) + "}";
    }
}
