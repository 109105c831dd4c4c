using System.Globalization;
using AutoNet.Models.Architecture;
using static TorchSharp.torch;

namespace AutoNet.Export.Onnx;

/// <summary>
/// Emits the ONNX graph of an architecture description's eval-mode forward: combinators become wiring (sequential),
/// merges (parallel: Add, Mul, Concat) and state lists (graph), each leaf goes to its one converter in
/// <see cref="OnnxLeafConverters"/>. A named node's path (dotted, from the root) scopes its ONNX node names and
/// finds its weights in <paramref name="state"/>, the model's state dict, so initializers carry state-dict keys.
/// </summary>
public sealed class OnnxArchitectureEmitter(OnnxGraphBuilder graph, IReadOnlyDictionary<string, Tensor> state)
{
    public OnnxGraphBuilder Graph { get; } = graph ?? throw new ArgumentNullException(nameof(graph));

    /// <summary>Emits <paramref name="node"/> reading <paramref name="inputs"/> (values of the graph); returns its output value.</summary>
    public string Emit(ArchNode node, IReadOnlyList<string> inputs, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(inputs);
        if (node.Name is null)
        {
            return EmitNode(node, inputs, prefix);
        }

        var path = prefix.Length == 0 ? node.Name : prefix + "." + node.Name;
        using (Graph.BeginScope(path))
        {
            return EmitNode(node, inputs, path);
        }
    }

    /// <summary>The weight <paramref name="name"/> of the leaf at <paramref name="path"/>; a description that names a weight the model lacks is an error naming it.</summary>
    public Tensor? Weight(string path, string name, bool required = true)
    {
        var key = path.Length == 0 ? name : path + "." + name;
        if (state.TryGetValue(key, out var tensor))
        {
            return tensor;
        }

        return required ? throw new InvalidOperationException($"ONNX export: the description names '{key}', which the model's state dict lacks") : null;
    }

    private string EmitNode(ArchNode node, IReadOnlyList<string> inputs, string path)
    {
        switch (node)
        {
            case MergeOp merge:
                return Merge(merge.Merge, inputs);
            case ArchLeaf leaf:
                return OnnxLeafConverters.Emit(this, leaf, Single(node, inputs), path);
            case SequentialNode sequential:
            {
                var x = Single(node, inputs);
                foreach (var step in sequential.Steps)
                {
                    x = Emit(step, [x], path);
                }

                return x;
            }

            case ParallelNode parallel:
            {
                var x = Single(node, inputs);
                return Merge(parallel.Merge, parallel.Branches.Select(b => Emit(b, [x], path)).ToArray());
            }

            case GraphNode g:
            {
                if (inputs.Count != g.InputCount)
                {
                    throw new ArgumentException($"ONNX export: graph '{path}' takes {g.InputCount} inputs, got {inputs.Count}");
                }

                var states = new List<string>(inputs);
                foreach (var step in g.Steps)
                {
                    states.Add(Emit(step.Node, step.Inputs.Select(i => states[i]).ToArray(), path));
                }

                return g.Outputs.Count == 1 ? states[g.Outputs[0]] : Graph.Concat(g.Outputs.Select(i => states[i]).ToArray(), axis: 1);
            }

            default:
                throw new NotSupportedException($"ONNX export: '{path}' is a {node.GetType().Name}, which the emitter does not know");
        }
    }

    private string Merge(MergeKind kind, IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0)
        {
            throw new ArgumentException("ONNX export: a merge needs at least one input");
        }

        if (kind == MergeKind.Concat)
        {
            return inputs.Count == 1 ? inputs[0] : Graph.Concat(inputs, axis: 1);
        }

        var result = inputs[0];
        for (var i = 1; i < inputs.Count; i++)
        {
            result = kind == MergeKind.Add ? Graph.Add(result, inputs[i]) : Graph.Mul(result, inputs[i]);
        }

        return result;
    }

    private static string Single(ArchNode node, IReadOnlyList<string> inputs) => inputs.Count == 1
        ? inputs[0]
        : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ONNX export: {node.Name ?? node.GetType().Name} takes one input, got {inputs.Count}"));
}
