using AutoNet.Experiments;
using System.Diagnostics;
using System.Globalization;
using AutoNet.Torch;
using AutoNet.Torch.NN;
using AutoNet.Torch.Optim;

// The AutoNet side of experiments/bench/throughput: the reference CNN of throughput_pytorch.py, the same
// fixed random batches, SGD step and step counts. Prints one JSON line, as the PyTorch peer does.
var threads = Argument("--threads", Environment.ProcessorCount);
var steps = Argument("--steps", 20);
var warmup = Argument("--warmup", 3);
var batch = Argument("--batch", 128);

Torch.SetNumThreads(threads);
Torch.ManualSeed(0);
using var model = ReferenceCnn.Create();
model.Train();
using var optimizer = new SGD(model.Parameters(), learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: true);
var (inputs, labels) = ReferenceCnn.MakeBatches(batch, 8);

for (var i = 0; i < warmup; i++)
{
    Step(i);
}

var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
for (var i = 0; i < steps; i++)
{
    Step(i);
}

var elapsed = clock.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"images_per_second\": {steps * batch / elapsed:F3}, \"images_per_cpu_second\": {steps * batch / cpu:F3}, \"steps\": {steps}, \"threads\": {threads}, \"parameters\": {model.ParameterCount()}}}"));
return 0;

void Step(int i)
{
    using var scope = Torch.NewDisposeScope();
    optimizer.ZeroGrad();
    var loss = Functional.CrossEntropy(model.Forward(inputs[i % 8]), labels[i % 8]);
    loss.Backward();
    optimizer.Step();
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
