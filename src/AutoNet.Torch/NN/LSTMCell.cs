namespace AutoNet.Torch.NN;

/// <summary>
/// One LSTM step, as torch.nn.LSTMCell: weight_ih [4H, in], weight_hh [4H, H], bias_ih and bias_hh [4H]
/// (gates i, f, g, o), all uniform in ±1/sqrt(H) as PyTorch initialises them.
/// </summary>
public sealed class LSTMCell : Module
{
    public LSTMCell(long inputSize, long hiddenSize, bool bias = true, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightIh = RegisterParameter("weight_ih", Torch.Empty(new[] { 4 * hiddenSize, inputSize }, dtype, device));
        WeightHh = RegisterParameter("weight_hh", Torch.Empty(new[] { 4 * hiddenSize, hiddenSize }, dtype, device));
        if (bias)
        {
            BiasIh = RegisterParameter("bias_ih", Torch.Empty(new[] { 4 * hiddenSize }, dtype, device));
            BiasHh = RegisterParameter("bias_hh", Torch.Empty(new[] { 4 * hiddenSize }, dtype, device));
        }

        var bound = hiddenSize > 0 ? 1 / Math.Sqrt(hiddenSize) : 0;
        foreach (var parameter in Parameters())
        {
            Init.Uniform_(parameter, -bound, bound);
        }
    }

    public long InputSize { get; }

    public long HiddenSize { get; }

    public Tensor WeightIh { get; }

    public Tensor WeightHh { get; }

    public Tensor? BiasIh { get; }

    public Tensor? BiasHh { get; }

    /// <summary>One step from state (h, c), or from zeros when no state is given; input is (N, in) or (in).</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var batched = input.Dim == 2;
        using var x = batched ? input.Alias() : input.Unsqueeze(0);
        using var zeros = state is null ? Torch.Zeros(new[] { x.Size(0), HiddenSize }, x.DType, x.Device) : null;
        using var h0 = state is { } s0 ? (batched ? s0.H.Alias() : s0.H.Unsqueeze(0)) : zeros!.Alias();
        using var c0 = state is { } s1 ? (batched ? s1.C.Alias() : s1.C.Unsqueeze(0)) : zeros!.Alias();
        var (h, c) = Functional.LstmCell(x, h0, c0, WeightIh, WeightHh, BiasIh, BiasHh);
        if (batched)
        {
            return (h, c);
        }

        using (h)
        using (c)
        {
            return (h.Squeeze(0), c.Squeeze(0));
        }
    }

    /// <summary>One step from a zero state; returns h (c is dropped).</summary>
    public override Tensor Forward(Tensor input)
    {
        var (h, c) = Forward(input, null);
        c.Dispose();
        return h;
    }
}
