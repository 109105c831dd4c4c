using static AutoNet.Torch.Native.NativeMethods;

namespace AutoNet.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and maximize: PyTorch
/// 1.13's <c>torch.optim.SGD</c>, one native call per group (native/atn_optim.cpp). The momentum buffer of a
/// parameter starts as its first (decayed) gradient, as in PyTorch.
/// </summary>
public sealed class SGD : Optimizer
{
    public const string MomentumBuffer = "momentum_buffer";

    public SGD(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, learningRate, momentum, dampening, weightDecay, nesterov, maximize)
    {
    }

    public SGD(IEnumerable<ParamGroup> parameterGroups, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameterGroups, learningRate, weightDecay)
    {
        if (!(momentum >= 0) || double.IsInfinity(momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be a finite number >= 0");
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening");
        }

        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        Maximize = maximize;
    }

    public double Momentum { get; }

    public double Dampening { get; }

    public bool Nesterov { get; }

    public bool Maximize { get; }

    public override unsafe void Step()
    {
        for (var g = 0; g < ParamGroups.Count; g++)
        {
            var group = ParamGroups[g];
            var parameters = group.Parameters;
            var handles = RawHandles(parameters);
            var buffers = new IntPtr[parameters.Count];
            for (var i = 0; i < parameters.Count; i++)
            {
                buffers[i] = GetState(StateName(g, i, MomentumBuffer))?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
            }

            var before = (IntPtr[])buffers.Clone();
            fixed (IntPtr* p = handles)
            fixed (IntPtr* b = buffers)
            {
                var status = ATNOptim_sgd_step(p, b, parameters.Count, group.LearningRate, Momentum, Dampening,
                    group.WeightDecay, Nesterov ? 1 : 0, Maximize ? 1 : 0);

                // Buffers the native side created are ours to wrap, even if a later parameter failed.
                for (var i = 0; i < buffers.Length; i++)
                {
                    if (buffers[i] != before[i])
                    {
                        SetState(StateName(g, i, MomentumBuffer), new Tensor(buffers[i]));
                    }
                }

                Check(status);
            }

            GC.KeepAlive(parameters);
        }
    }
}
