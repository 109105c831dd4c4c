namespace AutoNet.Data.Splits;

/// <summary>The fractions of a data set for training, validation and test; each in [0, 1], training above 0, summing to 1.</summary>
public sealed record SplitFractions(double Train, double Validation, double Test)
{
    public static SplitFractions Default { get; } = new(0.8, 0.1, 0.1);

    public double this[SplitPart part] => part switch
    {
        SplitPart.Train => Train,
        SplitPart.Validation => Validation,
        SplitPart.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, null),
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad fraction.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("train", Train), ("validation", Validation), ("test", Test) })
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                throw new ArgumentException($"the {name} fraction must be between 0 and 1, got {value}");
            }
        }

        if (Train <= 0)
        {
            throw new ArgumentException($"the train fraction must be above 0, got {Train}");
        }

        var sum = Train + Validation + Test;
        if (Math.Abs(sum - 1) > 1e-6)
        {
            throw new ArgumentException($"the train, validation and test fractions must sum to 1, got {Train} + {Validation} + {Test} = {sum}");
        }
    }
}
