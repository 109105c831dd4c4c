using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch.Optim;

/// <summary>
/// Adam with decoupled weight decay: PyTorch 1.13's <c>torch.optim.AdamW</c> (amsgrad off), one native call per
/// group and step count (native/atn_optim.cpp). Each parameter keeps its own step count, which advances only
/// on steps where it has a gradient, as in PyTorch.
/// </summary>
public sealed class AdamW : Optimizer
{
    public const string ExpAvg = "exp_avg";
    public const string ExpAvgSq = "exp_avg_sq";

    private readonly long[][] steps;

    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, learningRate, beta1, beta2, eps, weightDecay, maximize)
    {
    }

    public AdamW(IEnumerable<ParamGroup> parameterGroups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2, bool maximize = false)
        : base(parameterGroups, learningRate, weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        }

        if (!(eps >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        Maximize = maximize;
        steps = ParamGroups.Select(g => new long[g.Parameters.Count]).ToArray();
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public bool Maximize { get; }

    /// <summary>How many updates the parameter has had (PyTorch's <c>state['step']</c>).</summary>
    public long StepCount(int group, int index) => steps[group][index];

    public override unsafe void Step()
    {
        for (var g = 0; g < ParamGroups.Count; g++)
        {
            var group = ParamGroups[g];
            // Parameters with a gradient, bucketed by their next step count (one bucket in ordinary training).
            var buckets = new SortedDictionary<long, List<int>>();
            for (var i = 0; i < group.Parameters.Count; i++)
            {
                if (HasGrad(group.Parameters[i]))
                {
                    var next = steps[g][i] + 1;
                    if (!buckets.TryGetValue(next, out var list))
                    {
                        buckets[next] = list = new List<int>();
                    }

                    list.Add(i);
                }
            }

            foreach (var (step, indices) in buckets)
            {
                var parameters = indices.Select(i => group.Parameters[i]).ToArray();
                var avgs = indices.Select(i => StateOrZeros(g, i, ExpAvg)).ToArray();
                var avgSqs = indices.Select(i => StateOrZeros(g, i, ExpAvgSq)).ToArray();
                var p = RawHandles(parameters);
                var a = RawHandles(avgs);
                var s = RawHandles(avgSqs);
                fixed (IntPtr* pp = p)
                fixed (IntPtr* pa = a)
                fixed (IntPtr* ps = s)
                {
                    Check(ATNOptim_adamw_step(pp, pa, ps, parameters.Length, step, group.LearningRate, Beta1, Beta2, Eps,
                        group.WeightDecay, Maximize ? 1 : 0));
                }

                GC.KeepAlive(parameters);
                GC.KeepAlive(avgs);
                GC.KeepAlive(avgSqs);
                foreach (var i in indices)
                {
                    steps[g][i] = step;
                }
            }
        }
    }

    protected override void SaveScalars(Dictionary<string, double> scalars)
    {
        for (var g = 0; g < steps.Length; g++)
        {
            for (var i = 0; i < steps[g].Length; i++)
            {
                if (steps[g][i] > 0)
                {
                    scalars[StateName(g, i, "step")] = steps[g][i];
                }
            }
        }
    }

    protected override void LoadScalars(IReadOnlyDictionary<string, double> scalars)
    {
        for (var g = 0; g < steps.Length; g++)
        {
            for (var i = 0; i < steps[g].Length; i++)
            {
                var value = scalars.GetValueOrDefault(StateName(g, i, "step"));
                if (value < 0 || value != Math.Floor(value))
                {
                    throw new ArgumentException($"optimizer state {StateName(g, i, "step")} is {value}, not a step count");
                }

                steps[g][i] = (long)value;
                if (value > 0 && (GetState(StateName(g, i, ExpAvg)) is null || GetState(StateName(g, i, ExpAvgSq)) is null))
                {
                    throw new ArgumentException($"optimizer state has a step count for parameter {i} of group {g} but not its moments");
                }
            }
        }
    }

    private Tensor StateOrZeros(int group, int index, string buffer)
    {
        var name = StateName(group, index, buffer);
        var existing = GetState(name);
        if (existing is not null)
        {
            return existing;
        }

        var created = Torch.ZerosLike(ParamGroups[group].Parameters[index]);
        SetState(name, created);
        return created;
    }
}
