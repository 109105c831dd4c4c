using System.Reflection;

namespace AutoNet.Cli.Tests;

/// <summary>
/// No AutoNet code path hands libtorch a TorchSharp Scalar that the garbage collector may finalize while the
/// operation runs. CI once failed on exactly that: a policy-gradient step's <c>add</c> read a freed scalar.
/// </summary>
public sealed class ScalarLifetimeTests
{
    [Fact]
    public void No_AutoNet_assembly_creates_a_scalar_that_nothing_holds()
    {
        var assemblies = Directory.GetFiles(AppContext.BaseDirectory, "AutoNet.*.dll")
            .Where(path => !Path.GetFileName(path).Contains(".Tests", StringComparison.Ordinal) && !Path.GetFileName(path).Contains("TestWorker", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom)
            .ToArray();
        Assert.Contains(assemblies, a => a.GetName().Name == "AutoNet.Training");
        Assert.Contains(assemblies, a => a.GetName().Name == "AutoNet.Models");

        var scanner = new ScalarTemporaryScanner();
        var findings = assemblies.SelectMany(scanner.Scan).Distinct().Order().ToArray();

        Assert.True(findings.Length == 0, $"{findings.Length} call(s) create finalizable Scalars:\n{string.Join("\n", findings)}");
    }

    [Fact]
    public void The_scanner_finds_each_kind_of_unheld_scalar_and_passes_the_held_forms()
    {
        var findings = new ScalarTemporaryScanner().Scan(typeof(ScalarOffenders)).ToArray();

        foreach (var offender in new[] { "OperatorWithNumber", "AddOfTwoTensors", "ImplicitConversion", "TorchSharpBatchNorm", "TorchSharpSgd" })
        {
            Assert.Contains(findings, f => f.Contains($".{offender} calls", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(findings, f => f.Contains(".Held", StringComparison.Ordinal));
    }
}
