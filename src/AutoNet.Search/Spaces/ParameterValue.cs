using System.Globalization;
using System.Text.Json;

namespace AutoNet.Search.Spaces;

/// <summary>
/// One typed value of a decision: a string, an integer, a float or a boolean. Equality is exact
/// (ordinal for strings, bitwise-equal numbers), and an int never equals a float, so the canonical
/// text of a sample is unambiguous.
/// </summary>
public readonly struct ParameterValue : IEquatable<ParameterValue>
{
    private readonly string? _string;
    private readonly long _int;
    private readonly double _float;

    private ParameterValue(ValueKind kind, string? text, long integer, double number)
    {
        Kind = kind;
        _string = text;
        _int = integer;
        _float = number;
    }

    public ValueKind Kind { get; }

    public static ParameterValue Of(string value) => new(ValueKind.String, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    public static ParameterValue Of(long value) => new(ValueKind.Int, null, value, 0);

    public static ParameterValue Of(double value) => double.IsFinite(value)
        ? new(ValueKind.Float, null, 0, value)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a parameter value must be finite");

    public static ParameterValue Of(bool value) => new(ValueKind.Bool, null, value ? 1 : 0, 0);

    public static implicit operator ParameterValue(string value) => Of(value);

    public static implicit operator ParameterValue(long value) => Of(value);

    public static implicit operator ParameterValue(int value) => Of((long)value);

    public static implicit operator ParameterValue(double value) => Of(value);

    public static implicit operator ParameterValue(bool value) => Of(value);

    /// <summary>The string value; throws when the value is not a string.</summary>
    public string AsString() => Kind == ValueKind.String ? _string ?? throw Uninitialised() : throw WrongKind(ValueKind.String);

    /// <summary>The integer value; throws when the value is not an int.</summary>
    public long AsInt64() => Kind == ValueKind.Int ? _int : throw WrongKind(ValueKind.Int);

    /// <summary>The integer value as an <see cref="int"/>; throws when it is not an int or does not fit.</summary>
    public int AsInt32() => checked((int)AsInt64());

    /// <summary>The numeric value: a float, or an int widened to double.</summary>
    public double AsDouble() => Kind switch
    {
        ValueKind.Float => _float,
        ValueKind.Int => _int,
        _ => throw WrongKind(ValueKind.Float),
    };

    /// <summary>The boolean value; throws when the value is not a bool.</summary>
    public bool AsBool() => Kind == ValueKind.Bool ? _int != 0 : throw WrongKind(ValueKind.Bool);

    public bool IsNumeric => Kind is ValueKind.Int or ValueKind.Float;

    /// <summary>
    /// The value as canonical JSON: strings quoted and escaped, ints in decimal, floats in the shortest
    /// round-trip form always with a '.' or an exponent (so 2.0 stays a float), booleans as true/false.
    /// </summary>
    public string ToJson() => Kind switch
    {
        ValueKind.String => JsonSerializer.Serialize(_string ?? throw Uninitialised()),
        ValueKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => FormatFloat(_float),
        ValueKind.Bool => _int != 0 ? "true" : "false",
        _ => throw new InvalidOperationException($"unknown value kind {Kind}"),
    };

    /// <summary>The value as a user reads it: strings unquoted, numbers and booleans as in <see cref="ToJson"/>.</summary>
    public override string ToString() => Kind == ValueKind.String ? _string ?? string.Empty : ToJson();

    /// <summary>Reads a JSON scalar: a string, a number (an int when written without '.' or exponent), or a boolean; null otherwise.</summary>
    public static ParameterValue? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Of(element.GetString()!);
            case JsonValueKind.True:
                return Of(true);
            case JsonValueKind.False:
                return Of(false);
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && element.TryGetInt64(out var integer))
                {
                    return Of(integer);
                }

                var number = element.GetDouble();
                return double.IsFinite(number) ? Of(number) : (ParameterValue?)null;
            default:
                return null;
        }
    }

    public bool Equals(ParameterValue other) => Kind == other.Kind && Kind switch
    {
        ValueKind.String => string.Equals(_string, other._string, StringComparison.Ordinal),
        ValueKind.Float => _float.Equals(other._float),
        _ => _int == other._int,
    };

    public override bool Equals(object? obj) => obj is ParameterValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        ValueKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_string!)),
        ValueKind.Float => HashCode.Combine(Kind, _float),
        _ => HashCode.Combine(Kind, _int),
    };

    public static bool operator ==(ParameterValue left, ParameterValue right) => left.Equals(right);

    public static bool operator !=(ParameterValue left, ParameterValue right) => !left.Equals(right);

    internal static string KindName(ValueKind kind) => kind switch
    {
        ValueKind.String => "a string",
        ValueKind.Int => "an integer",
        ValueKind.Float => "a number",
        ValueKind.Bool => "a boolean",
        _ => kind.ToString(),
    };

    private static string FormatFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) < 0 ? text + ".0" : text;
    }

    // default(ParameterValue) looks like a string without one; refuse it rather than write "null".
    private static InvalidOperationException Uninitialised() => new("the value is default(ParameterValue); create values with ParameterValue.Of");

    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"the value {ToJson()} is {KindName(Kind)}, not {KindName(wanted)}");
}
