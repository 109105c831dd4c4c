using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using AutoNet.Torch;
using AutoNet.Torch.Kernels;
using AutoNet.Torch.Loading;
using Spectre.Console;
using TorchSharp;

namespace AutoNet.Cli;

/// <summary>`autonet doctor`: reports the engine, threads, devices and data, and fails if something needed is missing.</summary>
public static class DoctorCommand
{
    public const string FashionMnistEnvironmentVariable = "AUTONET_FASHION_MNIST";
    public const string FashionMnistDefaultFolder = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] FashionMnistFiles =
    {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Write the report as JSON for scripts." };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads to set before reporting (default: all cores)." };
        var command = new Command("doctor", "Check the tensor engine, threads, CUDA devices and the built-in data set.") { json, threads };
        command.SetAction(result => Run(result.GetValue(json), result.GetValue(threads)));
        return command;
    }

    public static IReadOnlyList<DoctorCheck> Collect(int? threads)
    {
        var checks = new List<DoctorCheck>
        {
            new(".NET", RuntimeInformation.FrameworkDescription, true),
        };
        LibstdcxxFixReport? loader = null;
        try
        {
            loader = TorchEngine.Initialize(threads ?? Environment.ProcessorCount);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            checks.Add(new("libstdc++ for TorchSharp", "cannot be made loadable", false, e.Message));
        }

        if (loader is not null)
        {
            checks.Add(new("libstdc++ for TorchSharp", loader.Describe(), true));
            var convolutions = TorchEngine.Convolutions;
            checks.Add(new("convolutions", convolutions.Describe(), convolutions.Passed,
                convolutions.Passed ? null : "train on another machine or a GPU; please report the CPU model"));
            try
            {
                checks.Add(new("TorchSharp", $"{typeof(torch).Assembly.GetName().Version} (libtorch {torch.__version__})", true));
                checks.Add(new("threads", $"{torch.get_num_threads()} of {Environment.ProcessorCount} cores", true));
                var cuda = torch.cuda.is_available();
                checks.Add(new("CUDA", cuda ? $"{torch.cuda.device_count()} device(s), cuDNN {(torch.cuda.is_cudnn_available() ? "yes" : "no")}" : "not available (CPU only)", true,
                    cuda ? null : "for NVIDIA GPUs build with -p:AutoNetDevice=cuda (TorchSharp's CUDA packages, Linux and Windows x64; see the README)"));
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
            {
                checks.Add(new("TorchSharp", "failed to load", false, (e.InnerException ?? e).Message));
            }
        }

        var folder = Environment.GetEnvironmentVariable(FashionMnistEnvironmentVariable) ?? FashionMnistDefaultFolder;
        var missing = FashionMnistFiles.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        checks.Add(missing.Count == 0
            ? new("fashion-mnist", folder, true)
            : new("fashion-mnist", $"missing in {folder}: {string.Join(", ", missing)}", false, "apt-get install dataset-fashion-mnist"));
        return checks;
    }

    private static int Run(bool json, int? threads)
    {
        var checks = Collect(threads);
        var ok = checks.All(c => c.Ok);
        if (json)
        {
            var report = new { ok, checks };
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
        }
        else
        {
            var table = new Table().AddColumn("check").AddColumn("found").AddColumn("status");
            foreach (var check in checks)
            {
                table.AddRow(Markup.Escape(check.Name), Markup.Escape(check.Value + (check.Hint is null ? string.Empty : $"\n{check.Hint}")),
                    check.Ok ? "[green]ok[/]" : "[red]FAIL[/]");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(ok ? "[green]AutoNet is ready.[/]" : "[red]Something AutoNet needs is missing (see above).[/]");
        }

        return ok ? 0 : 1;
    }
}
