using System.Globalization;
using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Safetensors;
using AutoNet.Torch.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Search.Strategies.Reinforce;

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
    private const string OptimizerKey = "optimizer";
    private const string StateName = "the saved controller state";

    private readonly ControllerPolicy policy;
    private readonly FinalizerSafeAdamW optimizer;

    public ReinforceController(IReadOnlyList<int> choiceCounts, long seed, int hiddenSize = 64, double learningRate = 3.5e-4,
        double entropyWeight = 1e-4, double baselineDecay = 0.95)
    {
        if (baselineDecay is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(baselineDecay), baselineDecay, "expected a decay in [0, 1)");
        }

        // The policy's initial weights come from the seed alone.
        torch.manual_seed(seed);
        policy = new ControllerPolicy(choiceCounts, hiddenSize);
        optimizer = new FinalizerSafeAdamW(policy.parameters(), learningRate, weightDecay: 0);
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
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return policy.Run(null, uniform).Choices;
    }

    /// <summary>The probability the policy gives each choice sequence element-wise: log π summed over decisions.</summary>
    public double LogProbability(IReadOnlyList<int> choices)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return policy.Run(choices, null).LogProbability.item<float>();
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
        using (var scope = torch.NewDisposeScope())
        {
            var (_, logProbability, entropy) = policy.Run(choices, null);
            using var negativeAdvantage = (-advantage).ToScalar();
            using var entropyWeight = EntropyWeight.ToScalar();
            var loss = logProbability.mul(negativeAdvantage).sub(entropy.mul(entropyWeight));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        Baseline = baseline - ((1 - BaselineDecay) * (baseline - reward));
        Updates++;
    }

    /// <summary>
    /// The whole controller as bytes: a safetensors image of the policy's weights (under <c>policy.</c>, PyTorch's
    /// names) and the optimizer's state (TorchSharp's format, as one uint8 tensor), with the baseline and update
    /// count in its metadata.
    /// </summary>
    public byte[] SaveState()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UpdatesKey] = Updates.ToString(CultureInfo.InvariantCulture),
        };
        if (Baseline is { } b)
        {
            metadata[BaselineKey] = b.ToString("R", CultureInfo.InvariantCulture);
        }

        using var scope = torch.NewDisposeScope();
        var tensors = policy.state_dict().ToDictionary(p => WeightPrefix + p.Key, p => p.Value, StringComparer.Ordinal);
        tensors[OptimizerKey] = torch.tensor(OptimizerStateFile.ToBytes(optimizer));
        using var memory = new MemoryStream();
        SafetensorsFile.Write(memory, tensors, metadata);
        return memory.ToArray();
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote, for a controller over the same decisions.</summary>
    public void LoadState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            using var memory = new MemoryStream(state, writable: false);
            using var content = SafetensorsFile.Read(memory, StateName);
            var weights = content.Tensors.Where(p => p.Key.StartsWith(WeightPrefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[WeightPrefix.Length..], p => p.Value, StringComparer.Ordinal);
            ModuleWeights.Load(policy, weights, StateName);
            if (!content.Tensors.TryGetValue(OptimizerKey, out var optimizerState) || optimizerState.dtype != ScalarType.Byte)
            {
                throw new WeightsFileException(StateName, OptimizerKey, "is missing or not a uint8 tensor of the optimizer's state");
            }

            OptimizerStateFile.FromBytes(optimizer, optimizerState.data<byte>().ToArray(), StateName);
            Updates = int.Parse(content.Metadata[UpdatesKey], CultureInfo.InvariantCulture);
            Baseline = content.Metadata.TryGetValue(BaselineKey, out var b) ? double.Parse(b, CultureInfo.InvariantCulture) : null;
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"the saved controller state lacks an entry: {e.Message}", e);
        }
        catch (WeightsFileException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        policy.Dispose();
    }
}
