using System.Globalization;

namespace AutoNet.Training;

/// <summary>
/// Watches training losses and stops a trial whose loss is NaN or infinite, or whose smoothed loss has climbed
/// far above its early level (the run diverged and further epochs would only waste the budget).
/// </summary>
public sealed class DivergenceGuard
{
    private const double Smoothing = 0.9;
    private readonly double factor;
    private readonly int warmSteps;
    private double average = double.NaN;
    private double reference = double.NaN;
    private int steps;

    /// <param name="factor">How many times above its early level the smoothed loss may climb.</param>
    /// <param name="warmSteps">Steps whose smoothed loss sets the early level.</param>
    public DivergenceGuard(double factor = 4, int warmSteps = 20)
    {
        if (factor <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "expected a factor above 1");
        }

        this.factor = factor;
        this.warmSteps = Math.Max(1, warmSteps);
    }

    /// <summary>Records one step's loss; throws <see cref="TrialFailedException"/> when the run must stop.</summary>
    public void Observe(double loss, int epoch, int step)
    {
        if (!double.IsFinite(loss))
        {
            throw new TrialFailedException(TrialFailureKind.NonFiniteLoss,
                string.Create(CultureInfo.InvariantCulture, $"training loss became {loss} at epoch {epoch}, step {step}"));
        }

        steps++;
        average = double.IsNaN(average) ? loss : (Smoothing * average) + ((1 - Smoothing) * loss);
        if (steps == warmSteps)
        {
            reference = average;
        }
        else if (steps > warmSteps && average > factor * Math.Max(reference, 1e-3))
        {
            throw new TrialFailedException(TrialFailureKind.Diverged,
                string.Create(CultureInfo.InvariantCulture,
                    $"training loss diverged at epoch {epoch}, step {step}: smoothed loss {average:G4} is over {factor}× its early level {reference:G4}"));
        }
    }
}
