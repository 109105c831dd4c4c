using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace AutoNet.Export.Tests.Onnx;

/// <summary>
/// The independent checks of an exported model: Debian's python3-onnx (onnx.checker with full_check and strict shape
/// inference) and ONNX Runtime from npm (onnxruntime-node). Both are installed by scripts/bootstrap.sh's test mode;
/// when one is missing the test fails saying so, never passes quietly.
/// </summary>
public static class OnnxPeers
{
    public const string Python = "/usr/bin/python3";

    public static string NodeFolder { get; } = typeof(OnnxPeers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OrtNodeFolder").Value!;

    /// <summary>Runs check_models.py over the files; returns one result object per file, in order.</summary>
    public static JsonArray CheckModels(IReadOnlyList<string> paths)
    {
        var request = new JsonObject { ["models"] = new JsonArray(paths.Select(p => (JsonNode)p).ToArray()) };
        var (code, stdout, stderr) = RunProcess(Python, new[] { Path.Combine(AppContext.BaseDirectory, "check_models.py") }, request.ToJsonString());
        if (code != 0 && stderr.Contains("No module named 'onnx'", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"python3-onnx is not installed for {Python}: run ./test.sh (scripts/bootstrap.sh test installs it) or apt-get install -y python3-onnx");
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"check_models.py exited with {code}: {stderr}");
        }

        return JsonNode.Parse(stdout)!["results"]!.AsArray();
    }

    /// <summary>Runs node/ort_run.js on a manifest (see the script) and returns its parsed reply.</summary>
    public static JsonObject RunOnnxRuntime(JsonObject manifest, string workFolder)
    {
        var package = Path.Combine(NodeFolder, "node_modules", "onnxruntime-node", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException(
                $"onnxruntime-node is not installed in {NodeFolder}: run ./test.sh (scripts/bootstrap.sh test installs it) " +
                "or `npm ci --ignore-scripts` in that folder");
        }

        var manifestPath = Path.Combine(workFolder, "manifest.json");
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var (code, stdout, stderr) = RunProcess("node", new[] { Path.Combine(NodeFolder, "ort_run.js"), manifestPath }, null);
        if (code != 0)
        {
            throw new InvalidOperationException($"node ort_run.js exited with {code}: {stderr}");
        }

        return JsonNode.Parse(stdout)!.AsObject();
    }

    internal static (int Code, string Stdout, string Stderr) RunProcess(string program, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_NUM_THREADS"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} could not be started ({e.Message}); scripts/bootstrap.sh test installs what the ONNX tests need", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(300_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} did not finish in 300 s");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
