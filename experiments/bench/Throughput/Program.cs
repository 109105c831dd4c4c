using AutoNet.Experiments;
using System.Diagnostics;
using System.Globalization;
using AutoNet.Torch;
using TorchSharp;

// AutoNet's side of experiments/bench/throughput: throughput_pytorch.py's reference CNN, the same fixed random
// batches, SGD step and step counts, trained through TorchSharp as AutoNet's trials are. Prints one JSON line, as
// the PyTorch peer does.
var threads = Argument("--threads", Environment.ProcessorCount);
var steps = Argument("--steps", 20);
var warmup = Argument("--warmup", 3);
var batch = Argument("--batch", 128);

TorchEngine.Initialize(threads);
torch.manual_seed(0);
using var model = ReferenceCnn.Create();
model.train();
using var optimizer = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
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
var parameters = model.parameters().Sum(p => p.numel());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"images_per_second\": {steps * batch / elapsed:F3}, \"images_per_cpu_second\": {steps * batch / cpu:F3}, \"steps\": {steps}, \"threads\": {threads}, \"parameters\": {parameters}}}"));
return 0;

void Step(int i)
{
    using var scope = torch.NewDisposeScope();
    optimizer.zero_grad();
    torch.nn.functional.cross_entropy(model.forward(inputs[i % 8]), labels[i % 8]).backward();
    optimizer.step();
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
