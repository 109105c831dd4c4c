namespace AutoNet.Torch.NN;

/// <summary>The nonlinearities <see cref="Init.CalculateGain"/> knows, as torch.nn.init.calculate_gain's names.</summary>
public enum Nonlinearity
{
    Linear,
    Conv1d,
    Conv2d,
    Conv3d,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Selu,
}
