using AutoNet.Search.Spaces;

namespace AutoNet.Search.Strategies.Reinforce;

/// <summary>
/// One space decision as a controller choice: categorical values and small integer ranges are their own choices; a
/// float range, or an integer range with more than <see cref="ReinforceStrategy.MaxChoices"/> values, is cut into a
/// fixed number of equal bins (equal in log space for log ranges) and a bin stands for its centre (the rounded
/// centre index for integers).
/// </summary>
internal sealed class DecisionCoding
{
    private readonly SearchParameter decision;
    private readonly long cardinality;

    public DecisionCoding(SearchParameter decision, int bins, int maxChoices)
    {
        this.decision = decision;
        if (decision is FloatParameter range)
        {
            IsBinned = true;
            Choices = range.Low == range.High ? 1 : bins;
            return;
        }

        cardinality = decision.Cardinality;
        IsBinned = cardinality > maxChoices;
        Choices = IsBinned ? bins : checked((int)cardinality);
    }

    public string Label => decision.Label;

    public int Choices { get; }

    public bool IsBinned { get; }

    public ParameterValue Decode(int choice)
    {
        if (decision is FloatParameter range)
        {
            var u = (choice + 0.5) / Choices;
            var value = range.Log
                ? Math.Exp(Math.Log(range.Low) + (u * (Math.Log(range.High) - Math.Log(range.Low))))
                : range.Low + (u * (range.High - range.Low));
            return Math.Clamp(value, range.Low, range.High);
        }

        if (!IsBinned)
        {
            return decision.ValueAt(choice);
        }

        // Bin b covers indices [b·n/B, (b+1)·n/B); it stands for the middle one.
        var first = choice * cardinality / Choices;
        var last = ((choice + 1) * cardinality / Choices) - 1;
        return decision.ValueAt((first + last) / 2);
    }

    public int Encode(ParameterValue value)
    {
        if (decision is FloatParameter range)
        {
            if (Choices == 1)
            {
                return 0;
            }

            var x = value.AsDouble();
            var u = range.Log
                ? (Math.Log(x) - Math.Log(range.Low)) / (Math.Log(range.High) - Math.Log(range.Low))
                : (x - range.Low) / (range.High - range.Low);
            return Math.Clamp((int)Math.Floor(u * Choices), 0, Choices - 1);
        }

        var index = decision.IndexOf(value);
        if (index < 0)
        {
            throw new ArgumentException($"{value.ToJson()} is not a value of '{decision.Label}'; expected {decision.DescribeDomain()}", nameof(value));
        }

        return IsBinned ? (int)(index * Choices / cardinality) : (int)index;
    }
}
