using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Optimizers;

/// <summary>
/// TorchSharp's SGD (same options, state and saved format, same arithmetic) whose step keeps every scalar it
/// passes to libtorch alive until the operation returns. TorchSharp's own step converts the learning rate,
/// momentum and weight decay into finalizable temporaries on every parameter of every step; see
/// <see cref="HeldScalars"/> for why that can corrupt a running operation.
/// </summary>
public sealed class FinalizerSafeSgd(IEnumerable<SGD.ParamGroup> groups, double learningRate, double momentum = 0, double dampening = 0,
    double weightDecay = 0, bool nesterov = false, bool maximize = false)
    : SGD(groups, learningRate, momentum, dampening, weightDecay, nesterov, maximize)
{
    public FinalizerSafeSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : this([new SGD.ParamGroup { Parameters = parameters }], learningRate, momentum, weightDecay: weightDecay, nesterov: nesterov)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        var momentum = options.momentum!.Value;
        var weightDecay = options.weight_decay!.Value;
        var learningRate = options.LearningRate!.Value;
        using var decay = weightDecay.ToScalar();
        using var momentumScalar = momentum.ToScalar();
        using var gradientShare = (1 - options.dampening!.Value).ToScalar();
        using var stepScale = (options.maximize!.Value ? learningRate : -learningRate).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            if (weightDecay != 0)
            {
                gradient = gradient.add(parameter, decay);
            }

            if (momentum != 0)
            {
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = gradient.clone().detach().DetachFromDisposeScope();
                    state.momentum_buffer = buffer;
                }
                else
                {
                    buffer.mul_(momentumScalar).add_(gradient, gradientShare);
                }

                gradient = options.nesterov!.Value ? gradient.add(buffer, momentumScalar) : buffer;
            }

            parameter.add_(gradient, stepScale);
        }
    }, closure);
}
