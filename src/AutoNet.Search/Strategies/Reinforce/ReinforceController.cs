using System.Globalization;
using AutoNet.Torch;
using AutoNet.Torch.Optim;
using AutoNet.Torch.Safetensors;

namespace AutoNet.Search.Strategies.Reinforce;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// Trains a <see cref="ControllerPolicy"/> with REINFORCE as NASNet and ENAS do: after each trial, the loss
/// −(R − b)·log π(choices) − β·H(π) is minimised with Adam, where R is the trial's reward (validation accuracy),
/// b an exponential moving average of past rewards (the baseline) and H the policy's entropy (the exploration
/// bonus). The policy's weights, optimizer state and baseline round-trip through <see cref="SaveState"/>, so a
/// resumed search continues with exactly the same controller.
/// </summary>
public sealed class ReinforceController : IDisposable
{
    private const string BaselineKey = "reinforce.baseline";
    private const string UpdatesKey = "reinforce.updates";
    private const string WeightPrefix = "policy.";
    private const string OptimizerPrefix = "optimizer.";
    private const string OptimizerScalarPrefix = "optimizer.scalar.";

    private readonly ControllerPolicy policy;
    private readonly AdamW optimizer;

    public ReinforceController(IReadOnlyList<int> choiceCounts, long seed, int hiddenSize = 64, double learningRate = 3.5e-4,
        double entropyWeight = 1e-4, double baselineDecay = 0.95)
    {
        if (baselineDecay is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(baselineDecay), baselineDecay, "expected a decay in [0, 1)");
        }

        // The policy's initial weights come from the seed alone.
        Torch.ManualSeed(seed);
        policy = new ControllerPolicy(choiceCounts, hiddenSize);
        optimizer = new AdamW(policy.Parameters(), learningRate, weightDecay: 0);
        EntropyWeight = entropyWeight;
        BaselineDecay = baselineDecay;
    }

    public IReadOnlyList<int> ChoiceCounts => policy.ChoiceCounts;

    public double EntropyWeight { get; }

    public double BaselineDecay { get; }

    /// <summary>The moving-average reward; <c>null</c> before the first update.</summary>
    public double? Baseline { get; private set; }

    public int Updates { get; private set; }

    /// <summary>Draws one decision sequence from the policy.</summary>
    public int[] Sample(Func<double> uniform)
    {
        ArgumentNullException.ThrowIfNull(uniform);
        using var noGrad = Torch.NoGrad();
        var (choices, logProbability, entropy) = policy.Run(null, uniform);
        logProbability.Dispose();
        entropy.Dispose();
        return choices;
    }

    /// <summary>The probability the policy gives each choice sequence element-wise: log π summed over decisions.</summary>
    public double LogProbability(IReadOnlyList<int> choices)
    {
        using var noGrad = Torch.NoGrad();
        var (_, logProbability, entropy) = policy.Run(choices, null);
        using (logProbability)
        using (entropy)
        {
            return logProbability.Item<float>();
        }
    }

    /// <summary>One policy-gradient step for a finished trial's choices and reward.</summary>
    public void Update(IReadOnlyList<int> choices, double reward)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (!double.IsFinite(reward))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, "a reward must be a finite number");
        }

        var baseline = Baseline ?? reward;
        var advantage = reward - baseline;
        using (var scope = Torch.NewDisposeScope())
        {
            var (_, logProbability, entropy) = policy.Run(choices, null);
            var loss = logProbability.Mul(-advantage).Sub(entropy.Mul(EntropyWeight));
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }

        Baseline = baseline - ((1 - BaselineDecay) * (baseline - reward));
        Updates++;
    }

    /// <summary>The whole controller as bytes (a safetensors image): weights, optimizer state, baseline.</summary>
    public byte[] SaveState()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UpdatesKey] = Updates.ToString(CultureInfo.InvariantCulture),
        };
        if (Baseline is { } b)
        {
            metadata[BaselineKey] = b.ToString("R", CultureInfo.InvariantCulture);
        }

        using var optimizerState = optimizer.StateDict();
        foreach (var (name, tensor) in policy.StateDict())
        {
            tensors[WeightPrefix + name] = tensor;
        }

        foreach (var (name, tensor) in optimizerState.Tensors)
        {
            tensors[OptimizerPrefix + name] = tensor;
        }

        foreach (var (name, value) in optimizerState.Scalars)
        {
            metadata[OptimizerScalarPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        var path = Path.Combine(Path.GetTempPath(), $"autonet-controller-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafetensorsFile.Write(path, tensors, metadata);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote, for a controller over the same decisions.</summary>
    public void LoadState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = Path.Combine(Path.GetTempPath(), $"autonet-controller-{Guid.NewGuid():N}.safetensors");
        try
        {
            File.WriteAllBytes(path, state);
            using var content = SafetensorsFile.Read(path);
            var weights = content.Tensors.Where(p => p.Key.StartsWith(WeightPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[WeightPrefix.Length..], p => p.Value, StringComparer.Ordinal);
            policy.LoadStateDict(weights);
            var optimizerTensors = content.Tensors.Where(p => p.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[OptimizerPrefix.Length..], p => p.Value, StringComparer.Ordinal);
            var scalars = content.Metadata.Where(p => p.Key.StartsWith(OptimizerScalarPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[OptimizerScalarPrefix.Length..], p => double.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
            optimizer.LoadStateDict(new OptimizerState(optimizerTensors, scalars));
            Updates = int.Parse(content.Metadata[UpdatesKey], CultureInfo.InvariantCulture);
            Baseline = content.Metadata.TryGetValue(BaselineKey, out var b) ? double.Parse(b, CultureInfo.InvariantCulture) : null;
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"the saved controller state lacks an entry: {e.Message}", e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        policy.Dispose();
    }
}
