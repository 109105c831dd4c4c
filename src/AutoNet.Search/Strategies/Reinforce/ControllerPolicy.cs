using AutoNet.Torch;
using AutoNet.Torch.NN;

namespace AutoNet.Search.Strategies.Reinforce;

using Torch = AutoNet.Torch.Torch;

/// <summary>
/// The NASNet/ENAS controller's policy: an LSTM that emits a sequence of categorical decisions one by one. Step t
/// reads the embedding of the choice made at step t−1 (a learned start vector at t = 0) and scores the choices of
/// decision t through its own linear head; logits are tempered and squashed as in ENAS
/// (<c>c·tanh(logits / T)</c>) so the policy never collapses early.
/// </summary>
public sealed class ControllerPolicy : Module
{
    private readonly LSTMCell cell;
    private readonly Tensor start;
    private readonly ModuleList embeddings;
    private readonly ModuleList heads;

    public ControllerPolicy(IReadOnlyList<int> choiceCounts, int hiddenSize = 64, double temperature = 5, double tanhConstant = 2.5)
    {
        ArgumentNullException.ThrowIfNull(choiceCounts);
        if (choiceCounts.Count == 0)
        {
            throw new ArgumentException("the controller needs at least one decision", nameof(choiceCounts));
        }

        for (var i = 0; i < choiceCounts.Count; i++)
        {
            if (choiceCounts[i] < 1)
            {
                throw new ArgumentException($"decision {i} has {choiceCounts[i]} choices; expected at least 1", nameof(choiceCounts));
            }
        }

        ChoiceCounts = choiceCounts.ToArray();
        HiddenSize = hiddenSize;
        Temperature = temperature;
        TanhConstant = tanhConstant;
        cell = RegisterModule("lstm", new LSTMCell(hiddenSize, hiddenSize));
        start = RegisterParameter("start", Init.Uniform_(Torch.Empty([1, hiddenSize]), -0.1, 0.1));
        embeddings = RegisterModule("embeddings", new ModuleList(ChoiceCounts.Select(c => (Module)new Embedding(c, hiddenSize)).ToArray()));
        heads = RegisterModule("heads", new ModuleList(ChoiceCounts.Select(c => (Module)new Linear(hiddenSize, c)).ToArray()));
        foreach (var embedding in embeddings.Cast<Embedding>())
        {
            Init.Uniform_(embedding.Weight, -0.1, 0.1);
        }
    }

    public IReadOnlyList<int> ChoiceCounts { get; }

    public int HiddenSize { get; }

    public double Temperature { get; }

    public double TanhConstant { get; }

    /// <summary>
    /// Runs the policy over one decision sequence. With <paramref name="forced"/> the given choices are scored
    /// (for a policy-gradient step); otherwise each choice is drawn from the policy with <paramref name="uniform"/>,
    /// a source of numbers in [0, 1) (the strategy's own seeded generator, so sampling is reproducible).
    /// Returns the choices, and the summed log-probability and entropy as scalar tensors (with gradients when
    /// gradients are enabled).
    /// </summary>
    public (int[] Choices, Tensor LogProbability, Tensor Entropy) Run(IReadOnlyList<int>? forced, Func<double>? uniform)
    {
        if (forced is null && uniform is null)
        {
            throw new ArgumentException("give either the forced choices or a uniform source to sample from");
        }

        if (forced is not null && forced.Count != ChoiceCounts.Count)
        {
            throw new ArgumentException($"{forced.Count} forced choices for {ChoiceCounts.Count} decisions", nameof(forced));
        }

        var choices = new int[ChoiceCounts.Count];
        using var scope = Torch.NewDisposeScope();
        var input = start;
        (Tensor H, Tensor C)? state = null;
        Tensor logProbability = Torch.Zeros([]);
        Tensor entropy = Torch.Zeros([]);
        for (var t = 0; t < ChoiceCounts.Count; t++)
        {
            var next = cell.Forward(input, state);
            state = next;
            var logits = Functional.Tanh(heads[t].Forward(next.H).Div(Temperature)).Mul(TanhConstant).Squeeze(0);
            var logSoftmax = Functional.LogSoftmax(logits, 0);
            var probabilities = logSoftmax.Exp();
            int choice;
            if (forced is not null)
            {
                choice = forced[t];
                if (choice < 0 || choice >= ChoiceCounts[t])
                {
                    throw new ArgumentException($"forced choice {choice} of decision {t} is outside 0..{ChoiceCounts[t] - 1}", nameof(forced));
                }
            }
            else
            {
                choice = Draw(probabilities.ToArray<float>(), uniform!());
            }

            choices[t] = choice;
            logProbability = logProbability.Add(logSoftmax.Select(0, choice));
            entropy = entropy.Sub(probabilities.Mul(logSoftmax).Sum());
            using var index = Torch.FromArray(new long[] { choice }, 1);
            input = embeddings[t].Forward(index);
        }

        return (choices, logProbability.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
    }

    private static int Draw(float[] probabilities, double u)
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
}
