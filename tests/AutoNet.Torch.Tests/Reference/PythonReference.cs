using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Reference;

/// <summary>
/// Runs a reference script from this folder under Debian's /usr/bin/python3 (python3-torch, the same libtorch)
/// with a JSON request on stdin, and returns its JSON reply; tensors cross as exact bytes (reference_io.py).
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static JsonNode Run(string script, JsonNode request, int timeoutSeconds = 300)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", script);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"reference script {path} is missing from the test output", path);
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        start.ArgumentList.Add(path);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in {timeoutSeconds}s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        }

        return JsonNode.Parse(stdout.Result) ?? throw new InvalidOperationException($"{script} wrote no JSON");
    }

    public static JsonObject Encode(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        var bytes = cpu.dtype switch
        {
            ScalarType.Float32 => ToBytes(cpu.data<float>().ToArray()),
            ScalarType.Float64 => ToBytes(cpu.data<double>().ToArray()),
            ScalarType.Int64 => ToBytes(cpu.data<long>().ToArray()),
            ScalarType.Int32 => ToBytes(cpu.data<int>().ToArray()),
            ScalarType.Byte => cpu.data<byte>().ToArray(),
            ScalarType.Bool => ToBytes(cpu.data<bool>().ToArray()),
            _ => throw new NotSupportedException($"cannot send {cpu.dtype} to python"),
        };
        return new JsonObject
        {
            ["shape"] = new JsonArray(tensor.shape.Select(s => (JsonNode)s).ToArray()),
            ["dtype"] = DTypeName(cpu.dtype),
            ["data"] = Convert.ToBase64String(bytes),
        };
    }

    public static Tensor Decode(JsonNode node)
    {
        var shape = node["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
        var bytes = Convert.FromBase64String(node["data"]!.GetValue<string>());
        return node["dtype"]!.GetValue<string>() switch
        {
            "float32" => torch.tensor(FromBytes<float>(bytes), shape),
            "float64" => torch.tensor(FromBytes<double>(bytes), shape),
            "int64" => torch.tensor(FromBytes<long>(bytes), shape),
            "int32" => torch.tensor(FromBytes<int>(bytes), shape),
            "uint8" => torch.tensor(bytes, shape),
            "bool" => torch.tensor(FromBytes<bool>(bytes), shape),
            var other => throw new NotSupportedException($"unknown dtype {other}"),
        };
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => throw new NotSupportedException(type.ToString()),
    };

    private static T[] FromBytes<T>(byte[] bytes)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();

    private static byte[] ToBytes<T>(T[] values)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
