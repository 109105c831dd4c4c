namespace AutoNet.Export.Onnx;

/// <summary>
/// One dimension of a graph input or output: a fixed size, or a symbolic name (e.g. "batch") that the runtime binds
/// to whatever size it is given, which is how an exported model accepts any batch size.
/// </summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? parameter)
    {
        Value = value;
        Parameter = parameter;
    }

    public long? Value { get; }

    public string? Parameter { get; }

    public static OnnxDimension Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new(value, null);
    }

    public static OnnxDimension Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(null, name);
    }

    public static implicit operator OnnxDimension(long value) => Fixed(value);

    public static implicit operator OnnxDimension(string name) => Symbolic(name);

    public override string ToString() => Parameter ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
