using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Reads the IL of AutoNet's assemblies for calls that make TorchSharp create a <see cref="Scalar"/> no one holds:
/// an implicit number-to-Scalar conversion at AutoNet's own call site, a TorchSharp method that converts inside
/// (followed three calls deep), and a TorchSharp module or optimizer, made by AutoNet, whose forward or step does.
/// Such a Scalar can be finalized while libtorch still reads it (see AutoNet.Torch.Scalars.HeldScalars).
/// </summary>
public sealed class ScalarTemporaryScanner
{
    private const int CalleeDepth = 3;
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Dictionary<MethodBase, string?> torchSharpVerdicts = [];

    /// <summary>Every finding in <paramref name="assembly"/>, as "caller: what it calls and why".</summary>
    public IEnumerable<string> Scan(Assembly assembly) => assembly.GetTypes().SelectMany(Scan);

    /// <summary>Every finding in the methods and constructors <paramref name="type"/> declares.</summary>
    public IEnumerable<string> Scan(Type type)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
        {
            foreach (var callee in Callees(method))
            {
                if (Why(method, callee) is { } why)
                {
                    yield return $"{type.FullName}.{method.Name} calls {Describe(callee)}: {why}";
                }
            }
        }
    }

    private string? Why(MethodBase caller, MethodBase callee)
    {
        if (callee.DeclaringType?.Assembly != TorchSharpAssembly)
        {
            return null;
        }

        if (IsScalarCreation(callee))
        {
            return "a number converted to a Scalar that nothing disposes";
        }

        if (TorchSharpVerdict(callee, CalleeDepth) is { } inside)
        {
            return $"it creates an unheld Scalar ({inside})";
        }

        // A constructor chaining to its TorchSharp base makes the derived type: what runs is its own forward or step
        // where it overrides one (read as AutoNet code), the base's where it does not.
        var made = callee is ConstructorInfo
            ? caller is ConstructorInfo && caller.DeclaringType?.BaseType == callee.DeclaringType ? caller.DeclaringType : callee.DeclaringType
            : (callee as MethodInfo)?.ReturnType;
        if (made is not null && made.IsClass && !made.IsAbstract)
        {
            foreach (var run in RunMethods(made))
            {
                if (TorchSharpVerdict(run, CalleeDepth) is { } inRun)
                {
                    return $"its {made.Name}.{run.Name} creates an unheld Scalar ({inRun})";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// What a module or optimizer runs on every batch and TorchSharp wrote: the most derived forward and step of
    /// <paramref name="type"/> where TorchSharp declares it, with the lambdas of the declaring type.
    /// </summary>
    private static IEnumerable<MethodBase> RunMethods(Type type)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var seen = new HashSet<string>();
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var method in current.GetMethods(declared).Where(m => m.Name is "forward" or "step"))
            {
                var signature = $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.FullName))})";
                if (!seen.Add(signature) || current.Assembly != TorchSharpAssembly)
                {
                    continue;
                }

                yield return method;
                foreach (var lambda in current.GetMethods(declared).Where(m => m.Name.StartsWith($"<{method.Name}>", StringComparison.Ordinal)))
                {
                    yield return lambda;
                }
            }
        }
    }

    private string? TorchSharpVerdict(MethodBase method, int depth)
    {
        if (torchSharpVerdicts.TryGetValue(method, out var known))
        {
            return known;
        }

        torchSharpVerdicts[method] = null;
        string? verdict = null;
        foreach (var callee in Callees(method))
        {
            if (IsScalarCreation(callee))
            {
                verdict = $"{Describe(method)} converts a number";
                break;
            }

            if (depth > 1 && callee.DeclaringType?.Assembly == TorchSharpAssembly && TorchSharpVerdict(callee, depth - 1) is { } deeper)
            {
                verdict = deeper;
                break;
            }
        }

        torchSharpVerdicts[method] = verdict;
        return verdict;
    }

    private static bool IsScalarCreation(MethodBase method) =>
        method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit";

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.FullName}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>The methods <paramref name="method"/> calls or constructs, read from its IL.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException or TypeLoadException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position] == 0xFE && position + 1 < il.Length ? (short)(0xFE00 | il[position + 1]) : il[position];
            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                yield break;
            }

            position += opCode.Size;
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMethodException or BadImageFormatException)
                {
                }

                if (callee is not null)
                {
                    yield return callee;
                }
            }

            position += OperandSize(opCode, il, position);
        }
    }

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
