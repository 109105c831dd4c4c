using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Search.Strategies.Reinforce;

/// <summary>
/// The NASNet/ENAS controller's policy: an LSTM that emits a sequence of categorical decisions one by one. Step t
/// reads the embedding of the choice made at step t−1 (a learned start vector at t = 0) and scores the choices of
/// decision t through its own linear head; logits are tempered and squashed as in ENAS
/// (<c>c·tanh(logits / T)</c>) so the policy never collapses early. A TorchSharp module whose state-dict names are
/// PyTorch's for the same attributes (<c>lstm.weight_ih</c>, <c>start</c>, <c>embeddings.0.weight</c>,
/// <c>heads.0.bias</c>, …).
/// </summary>
public sealed class ControllerPolicy : nn.Module
{
#pragma warning disable IDE1006 // PyTorch's attribute names are the state-dict keys.
    private readonly LSTMCell lstm;
    private readonly Parameter start;
    private readonly ModuleList<Embedding> embeddings;
    private readonly ModuleList<Linear> heads;
#pragma warning restore IDE1006

    public ControllerPolicy(IReadOnlyList<int> choiceCounts, int hiddenSize = 64, double temperature = 5, double tanhConstant = 2.5)
        : base(nameof(ControllerPolicy))
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
        lstm = nn.LSTMCell(hiddenSize, hiddenSize);
        start = new Parameter(torch.empty(1, hiddenSize));
        embeddings = nn.ModuleList(ChoiceCounts.Select(c => nn.Embedding(c, hiddenSize)).ToArray());
        heads = nn.ModuleList(ChoiceCounts.Select(c => nn.Linear(hiddenSize, c)).ToArray());
        nn.init.uniform_(start, -0.1, 0.1);
        foreach (var embedding in embeddings)
        {
            nn.init.uniform_(embedding.weight!, -0.1, 0.1);
        }

        RegisterComponents();
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
    /// gradients are enabled), owned by the caller's dispose scope.
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
        using var scope = torch.NewDisposeScope();
        Tensor input = start;
        // Zeros, as PyTorch's LSTMCell assumes without a state; TorchSharp 0.107 passes no state as a batch of 0.
        (Tensor, Tensor) state = (torch.zeros(1, HiddenSize), torch.zeros(1, HiddenSize));
        var logProbability = torch.zeros([]);
        var entropy = torch.zeros([]);
        using var temperature = Temperature.ToScalar();
        using var tanhConstant = TanhConstant.ToScalar();
        for (var t = 0; t < ChoiceCounts.Count; t++)
        {
            var next = lstm.forward(input, state);
            state = next;
            var logits = heads[t].forward(next.Item1).div(temperature).tanh().mul(tanhConstant).squeeze(0);
            var logSoftmax = nn.functional.log_softmax(logits, 0);
            var probabilities = logSoftmax.exp();
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
                choice = Draw(probabilities.data<float>().ToArray(), uniform!());
            }

            choices[t] = choice;
            logProbability = logProbability.add(logSoftmax[choice], HeldScalars.One);
            entropy = entropy.sub(probabilities.mul(logSoftmax).sum());
            input = embeddings[t].forward(torch.tensor(new long[] { choice }));
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
