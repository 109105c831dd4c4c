using System.Globalization;

namespace AutoNet.Torch.NN;

/// <summary>
/// A unidirectional multi-layer LSTM, as torch.nn.LSTM: per layer k the parameters weight_ih_l{k}, weight_hh_l{k},
/// bias_ih_l{k}, bias_hh_l{k} with PyTorch's shapes and ±1/sqrt(H) init. Input is (L, N, in), or (N, L, in) with
/// batchFirst; dropout applies between layers in training, as in PyTorch.
/// </summary>
public sealed class LSTM : Module
{
    private readonly Tensor[] weightsIh;
    private readonly Tensor[] weightsHh;
    private readonly Tensor?[] biasesIh;
    private readonly Tensor?[] biasesHh;

    public LSTM(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dropout, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dropout, 1.0);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        BatchFirst = batchFirst;
        Dropout = dropout;
        weightsIh = new Tensor[numLayers];
        weightsHh = new Tensor[numLayers];
        biasesIh = new Tensor?[numLayers];
        biasesHh = new Tensor?[numLayers];
        for (var k = 0; k < numLayers; k++)
        {
            var suffix = "_l" + k.ToString(CultureInfo.InvariantCulture);
            var layerInput = k == 0 ? inputSize : hiddenSize;
            weightsIh[k] = RegisterParameter("weight_ih" + suffix, Torch.Empty(new[] { 4 * hiddenSize, layerInput }, dtype, device));
            weightsHh[k] = RegisterParameter("weight_hh" + suffix, Torch.Empty(new[] { 4 * hiddenSize, hiddenSize }, dtype, device));
            if (bias)
            {
                biasesIh[k] = RegisterParameter("bias_ih" + suffix, Torch.Empty(new[] { 4 * hiddenSize }, dtype, device));
                biasesHh[k] = RegisterParameter("bias_hh" + suffix, Torch.Empty(new[] { 4 * hiddenSize }, dtype, device));
            }
        }

        var bound = hiddenSize > 0 ? 1 / Math.Sqrt(hiddenSize) : 0;
        foreach (var parameter in Parameters())
        {
            Init.Uniform_(parameter, -bound, bound);
        }
    }

    public long InputSize { get; }

    public long HiddenSize { get; }

    public int NumLayers { get; }

    public bool BatchFirst { get; }

    public double Dropout { get; }

    /// <summary>
    /// Runs the sequence from state (h0, c0) of shape (layers, N, H), or zeros. Returns the last layer's outputs for
    /// every step and the final (h, c) of every layer, as PyTorch's <c>output, (h_n, c_n)</c>.
    /// </summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        if (input.Dim != 3)
        {
            throw new ArgumentException($"LSTM expects a 3-D input ({(BatchFirst ? "N, L, in" : "L, N, in")}), got {input.Dim}-D", nameof(input));
        }

        using var scope = Torch.NewDisposeScope();
        var sequence = BatchFirst ? input.Transpose(0, 1) : input.Alias();
        var steps = sequence.Size(0);
        var batch = sequence.Size(1);
        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        var layerInput = sequence;
        for (var k = 0; k < NumLayers; k++)
        {
            var h = state is { } s ? s.H.Select(0, k) : Torch.Zeros(new[] { batch, HiddenSize }, input.DType, input.Device);
            var c = state is { } t ? t.C.Select(0, k) : Torch.Zeros(new[] { batch, HiddenSize }, input.DType, input.Device);
            var outputs = new List<Tensor>();
            for (var step = 0; step < steps; step++)
            {
                (h, c) = Functional.LstmCell(layerInput.Select(0, step), h, c, weightsIh[k], weightsHh[k], biasesIh[k], biasesHh[k]);
                outputs.Add(h);
            }

            finalH.Add(h);
            finalC.Add(c);
            layerInput = Torch.Stack(outputs);
            if (Dropout > 0 && IsTraining && k < NumLayers - 1)
            {
                layerInput = Functional.Dropout(layerInput, Dropout, training: true);
            }
        }

        var output = (BatchFirst ? layerInput.Transpose(0, 1) : layerInput).MoveToOuterDisposeScope();
        var hn = Torch.Stack(finalH).MoveToOuterDisposeScope();
        var cn = Torch.Stack(finalC).MoveToOuterDisposeScope();
        return (output, (hn, cn));
    }

    /// <summary>The outputs for every step from a zero state (the final state is dropped).</summary>
    public override Tensor Forward(Tensor input)
    {
        var (output, (h, c)) = Forward(input, null);
        h.Dispose();
        c.Dispose();
        return output;
    }
}
