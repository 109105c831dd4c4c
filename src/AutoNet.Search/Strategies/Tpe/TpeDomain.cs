namespace AutoNet.Search.Strategies.Tpe;

/// <summary>
/// The range of one parameter as TPE models it. Values cross as doubles: a categorical choice is its index, an
/// integer its value. Log domains are modelled on ln(value); integers on a continuous range widened by ½ on each
/// side and rounded back.
/// </summary>
public sealed record TpeDomain
{
    private TpeDomain(TpeDomainKind kind, double low, double high, bool log, int choices)
    {
        Kind = kind;
        Low = low;
        High = high;
        Log = log;
        Choices = choices;
    }

    public TpeDomainKind Kind { get; }

    public double Low { get; }

    public double High { get; }

    public bool Log { get; }

    /// <summary>Number of choices of a categorical domain (0 otherwise).</summary>
    public int Choices { get; }

    public static TpeDomain Categorical(int choices) => choices >= 1
        ? new TpeDomain(TpeDomainKind.Categorical, 0, choices - 1, false, choices)
        : throw new ArgumentOutOfRangeException(nameof(choices), choices, "a categorical domain needs at least one choice");

    public static TpeDomain Float(double low, double high, bool log = false) => Checked(TpeDomainKind.Float, low, high, log);

    public static TpeDomain Int(long low, long high, bool log = false) => Checked(TpeDomainKind.Int, low, high, log);

    /// <summary>The modelled (continuous) range: ln for log domains, ±½ around integers.</summary>
    internal (double Low, double High) ModelRange
    {
        get
        {
            var (low, high) = Kind == TpeDomainKind.Int ? (Low - 0.5, High + 0.5) : (Low, High);
            return Log ? (Math.Log(Math.Max(low, Low * 0.5)), Math.Log(high)) : (low, high);
        }
    }

    internal double ToModel(double value) => Log ? Math.Log(value) : value;

    internal double FromModel(double value)
    {
        var x = Log ? Math.Exp(value) : value;
        x = Kind == TpeDomainKind.Int ? Math.Round(x) : x;
        return Math.Clamp(x, Low, High);
    }

    private static TpeDomain Checked(TpeDomainKind kind, double low, double high, bool log)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw new ArgumentException($"a {kind} domain needs finite low ≤ high, got [{low}, {high}]");
        }

        if (log && low <= 0)
        {
            throw new ArgumentException($"a log {kind} domain needs low > 0, got {low}");
        }

        return new TpeDomain(kind, low, high, log, 0);
    }
}
