using AutoNet.Models.Architecture;

namespace AutoNet.Models.MacroCnn;

/// <summary>The names of <see cref="GlobalPooling"/> in JSON (search spaces, model.json), kept beside the enum.</summary>
public static class GlobalPoolingNames
{
    public const string Average = "avg";
    public const string Max = "max";

    /// <summary>Written by packages before the vocabulary was unified; still read.</summary>
    public const string LegacyAverage = "average";

    public static string ToName(this GlobalPooling pooling) => pooling switch
    {
        GlobalPooling.Average => Average,
        GlobalPooling.Max => Max,
        _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unknown global pooling"),
    };

    public static bool TryParse(string? name, out GlobalPooling pooling)
    {
        switch (name)
        {
            case Average or LegacyAverage:
                pooling = GlobalPooling.Average;
                return true;
            case Max:
                pooling = GlobalPooling.Max;
                return true;
            default:
                pooling = default;
                return false;
        }
    }

    /// <summary>Parses a name, or throws naming the value and the names expected.</summary>
    public static GlobalPooling Parse(string? name) => TryParse(name, out var pooling)
        ? pooling
        : throw new ArgumentException($"global pooling \"{name}\" is unknown; expected \"{Average}\" or \"{Max}\"", nameof(name));

    public static PoolKind ToPoolKind(this GlobalPooling pooling) => pooling == GlobalPooling.Max ? PoolKind.Max : PoolKind.Avg;
}
