using AutoNet.Torch.Optimizers;
using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Cli.Tests;

/// <summary>
/// One method per way of creating a Scalar nothing holds, and the held way of writing each, for
/// <see cref="ScalarLifetimeTests"/> to prove the scanner tells them apart. Never run, only read.
/// </summary>
internal static class ScalarOffenders
{
    public static Tensor OperatorWithNumber(Tensor t) => t * 0.5;

    public static Tensor AddOfTwoTensors(Tensor a, Tensor b) => a.add(b);

    public static Tensor ImplicitConversion(Tensor t) => t.clamp(0, 1);

    public static nn.Module<Tensor, Tensor> TorchSharpBatchNorm() => nn.BatchNorm2d(4);

    public static OptimizerHelper TorchSharpSgd(Parameter p) => torch.optim.SGD([p], 0.1);

    public static Tensor HeldOperator(Tensor t) => t.Times(0.5);

    public static Tensor HeldAdd(Tensor a, Tensor b) => a.Plus(b);

    public static Tensor HeldClamp(Tensor t) => t.clamp(HeldScalars.Zero, HeldScalars.One);

    public static nn.Module<Tensor, Tensor> HeldBatchNorm() => new AutoNet.Torch.Modules.FreezableBatchNorm2d(4);

    public static OptimizerHelper HeldSgd(Parameter p) => new FinalizerSafeSgd([new SGD.ParamGroup([p])], 0.1);
}
