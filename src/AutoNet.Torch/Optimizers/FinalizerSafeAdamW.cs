using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Torch.Optimizers;

/// <summary>
/// TorchSharp's AdamW (same options, state and saved format, same arithmetic) whose step keeps every scalar it
/// passes to libtorch alive until the operation returns; see <see cref="HeldScalars"/> and
/// <see cref="FinalizerSafeSgd"/>.
/// </summary>
public sealed class FinalizerSafeAdamW(IEnumerable<AdamW.ParamGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
    : AdamW(groups, learningRate, beta1, beta2, eps, weightDecay, amsgrad, maximize)
{
    public FinalizerSafeAdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double weightDecay = 0)
        : this([new AdamW.ParamGroup { Parameters = parameters }], learningRate, weightDecay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var learningRate = options.LearningRate!.Value;
        using var decayFactor = (1 - learningRate * options.weight_decay!.Value).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradientShare = (1 - beta1).ToScalar();
        using var squareShare = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            if (options.maximize!.Value)
            {
                gradient = gradient.neg();
            }

            state.step += 1;
            parameter.mul_(decayFactor);
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1Scalar).add_(gradient, gradientShare);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(gradient, gradient, squareShare);
            var second = state.exp_avg_sq;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = torch.maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                second = state.max_exp_avg_sq;
            }

            using var correction = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepScale = (-learningRate / biasCorrection1).ToScalar();
            var denominator = second.sqrt().div_(correction).add_(eps, HeldScalars.One);
            parameter.addcdiv_(state.exp_avg, denominator, stepScale);
        }
    }, closure);
}
