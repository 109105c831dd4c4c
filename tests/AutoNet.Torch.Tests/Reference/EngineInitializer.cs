using System.Runtime.CompilerServices;

namespace AutoNet.Torch.Tests.Reference;

/// <summary>Readies TorchSharp before any test of the assembly touches it (linked into every test project that uses tensors).</summary>
internal static class EngineInitializer
{
#pragma warning disable CA2255 // A test assembly is the program here: its tests must find TorchSharp loadable before their first call.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchEngine.Initialize(Environment.ProcessorCount);
}
