using System.Diagnostics;
using System.Globalization;
using AutoNet.Torch.Loading;
using TorchSharp;
using static TorchSharp.torch;

// TorchSharp's side of experiments/bench/throughput: throughput_pytorch.py's reference CNN (~0.5 M parameters,
// 1×28×28, batch 128), eight fixed random batches, SGD with Nesterov momentum; one JSON line out, as the others.
TorchSharpLibstdcxxFix.EnsureLoadable();
var threads = Argument("--threads", Environment.ProcessorCount);
var steps = Argument("--steps", 20);
var warmup = Argument("--warmup", 3);
var batch = Argument("--batch", 128);

torch.set_num_threads(threads);
torch.manual_seed(0);
using var model = nn.Sequential(
    [.. Block(1, 32), .. Block(32, 64), ("pool1", nn.MaxPool2d(2)), .. Block(64, 128), ("pool2", nn.MaxPool2d(2)),
     .. Block(128, 128), .. Block(128, 256), ("gap", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(256, 10))]);
model.train();
using var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
var inputs = Enumerable.Range(0, 8).Select(_ => torch.randn(batch, 1, 28, 28)).ToArray();
var labels = Enumerable.Range(0, 8).Select(_ => torch.randint(0, 10, [batch])).ToArray();
using var loss = nn.CrossEntropyLoss();

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
    loss.forward(model.forward(inputs[i % 8]), labels[i % 8]).backward();
    optimizer.step();
}

static (string, nn.Module<Tensor, Tensor>)[] Block(long input, long output) =>
[
    ($"conv{input}_{output}", nn.Conv2d(input, output, 3, padding: 1, bias: false)),
    ($"bn{input}_{output}", nn.BatchNorm2d(output)),
    ($"relu{input}_{output}", nn.ReLU(inplace: true)),
];

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
