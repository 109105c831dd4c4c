namespace AutoNet.Search.Strategies.Tpe;

/// <summary>
/// One side of TPE's density ratio for one parameter: a mixture over the observed values plus a broad prior
/// (Bergstra et al., 2011; the bandwidths follow Optuna's "magic clip"). Numerical domains mix Gaussians truncated
/// to the range, each centred on an observation with a width set by its neighbours, clipped to
/// [range / min(100, 1 + n), range]; a categorical domain is a smoothed histogram with one prior count per choice.
/// </summary>
public sealed class ParzenEstimator
{
    private const double PriorWeight = 1.0;
    private readonly TpeDomain domain;
    private readonly double[] centres = [];
    private readonly double[] widths = [];
    private readonly double[] weights;
    private readonly double low;
    private readonly double high;

    public ParzenEstimator(TpeDomain domain, IReadOnlyList<double> observations)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(observations);
        this.domain = domain;
        if (domain.Kind == TpeDomainKind.Categorical)
        {
            weights = Enumerable.Repeat(PriorWeight / domain.Choices, domain.Choices).ToArray();
            foreach (var value in observations)
            {
                weights[(int)value]++;
            }

            Normalise(weights);
            return;
        }

        (low, high) = domain.ModelRange;
        var range = high - low;
        var points = observations.Select(domain.ToModel).Append((low + high) / 2).ToArray();
        var isPrior = points.Select((_, i) => i == points.Length - 1).ToArray();
        Array.Sort(points, isPrior);
        centres = points;
        widths = new double[points.Length];
        var minimum = range / Math.Min(100.0, 1.0 + points.Length);
        for (var i = 0; i < points.Length; i++)
        {
            var left = points[i] - (i > 0 ? points[i - 1] : low);
            var right = (i + 1 < points.Length ? points[i + 1] : high) - points[i];
            widths[i] = isPrior[i] ? range : Math.Clamp(Math.Max(left, right), minimum, Math.Max(range, minimum));
        }

        weights = isPrior.Select(p => p ? PriorWeight : 1.0).ToArray();
        Normalise(weights);
    }

    /// <summary>Draws a value in the domain's own scale (a category index, an integer, or a float).</summary>
    public double Sample(Func<double> uniform)
    {
        ArgumentNullException.ThrowIfNull(uniform);
        var component = Pick(weights, uniform());
        if (domain.Kind == TpeDomainKind.Categorical)
        {
            return component;
        }

        // Inverse CDF of the truncated Gaussian: uniform between the range's CDF bounds.
        var mu = centres[component];
        var sigma = widths[component];
        var a = NormalMath.Cdf((low - mu) / sigma);
        var b = NormalMath.Cdf((high - mu) / sigma);
        var z = NormalMath.InverseCdf(Math.Clamp(a + (uniform() * (b - a)), 1e-12, 1 - 1e-12));
        return domain.FromModel(Math.Clamp(mu + (sigma * z), low, high));
    }

    /// <summary>ln of the density at a value of the domain's own scale (a category's probability for categoricals).</summary>
    public double LogDensity(double value)
    {
        if (domain.Kind == TpeDomainKind.Categorical)
        {
            return Math.Log(weights[(int)value]);
        }

        var x = domain.ToModel(value);
        double density = 0;
        for (var i = 0; i < centres.Length; i++)
        {
            var mass = NormalMath.Cdf((high - centres[i]) / widths[i]) - NormalMath.Cdf((low - centres[i]) / widths[i]);
            density += weights[i] * NormalMath.Pdf((x - centres[i]) / widths[i]) / widths[i] / Math.Max(mass, 1e-300);
        }

        return Math.Log(Math.Max(density, 1e-300));
    }

    private static int Pick(double[] probabilities, double u)
    {
        double cumulative = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }

    private static void Normalise(double[] values)
    {
        var total = values.Sum();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= total;
        }
    }
}
