using AutoNet.Torch.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Models.Architecture;

/// <summary>
/// The TorchSharp module of an architecture description: every named node below the root becomes a registered
/// submodule under its name (conv2d, batch_norm2d and linear as TorchSharp's Conv2d, BatchNorm2d and Linear; other
/// leaves as <see cref="OpModule"/>; combinators as nested ArchitectureModules), so state-dict keys are the
/// description's names, and <see cref="forward"/> interprets the description. Not sealed: a network adds its own
/// members (settings, feature extraction) over its description.
/// </summary>
public class ArchitectureModule : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<ArchNode, nn.Module> owned = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, nn.Module> containers = new(StringComparer.Ordinal);

    public ArchitectureModule(ArchNode description, DropPathSchedule? schedule = null)
        : base(description?.GetType().Name ?? nameof(ArchitectureModule))
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
        Schedule = schedule ?? new DropPathSchedule();
        if (description.HasState)
        {
            throw new ArgumentException($"the root of a description cannot be a {description.GetType().Name} (a module with state of its own): wrap it in a sequential", nameof(description));
        }

        foreach (var child in description.Children)
        {
            Collect(child);
        }
    }

    /// <summary>The description this module was built from and runs.</summary>
    public ArchNode Description { get; }

    /// <summary>The drop-path probability shared with every nested module.</summary>
    public DropPathSchedule Schedule { get; }

    public override Tensor forward(Tensor input) => Forward([input]);

    /// <summary>Runs the description on its inputs (two for a cell).</summary>
    public Tensor Forward(IReadOnlyList<Tensor> inputs) => Evaluate(Description, inputs);

    /// <summary>Runs <paramref name="node"/>, a node of this module's description, under a dispose scope; the result is the caller's.</summary>
    protected Tensor Evaluate(ArchNode node, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = torch.NewDisposeScope();
        var result = Run(node, inputs, ReferenceEquals(node, Description));
        if (inputs.Any(i => ReferenceEquals(i, result)))
        {
            result = result.alias();
        }

        return result.MoveToOuterDisposeScope();
    }

    private void Collect(ArchNode node)
    {
        if (node.Name is { } name)
        {
            Register(name, node, Build(node));
            return;
        }

        if (node.HasState)
        {
            throw new ArgumentException($"a {node.GetType().Name} holds parameters and needs a name (its state-dict key)");
        }

        foreach (var child in node.Children)
        {
            Collect(child);
        }
    }

    private nn.Module Build(ArchNode node) => node switch
    {
        Conv2dOp c => nn.Conv2d(c.In, c.Out, (c.Kernel.H, c.Kernel.W), stride: (c.Stride.H, c.Stride.W), padding: (c.Padding.H, c.Padding.W),
            dilation: (c.Dilation, c.Dilation), groups: c.Groups, bias: c.Bias),
        BatchNorm2dOp b => new FreezableBatchNorm2d(b.Features, b.Eps, b.Momentum, b.Affine),
        LinearOp l => nn.Linear(l.In, l.Out, l.Bias),
        ArchLeaf leaf => new OpModule(leaf, Schedule),
        _ => new ArchitectureModule(node, Schedule),
    };

    private void Register(string path, ArchNode node, nn.Module module)
    {
        if (owned.ContainsKey(node))
        {
            module.Dispose();
            throw new ArgumentException($"node \"{path}\" appears twice in the description; every named node is one module");
        }

        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            module.Dispose();
            throw new ArgumentException($"\"{path}\" is not a state-dict path (empty segment)");
        }

        nn.Module parent = this;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var prefix = string.Join('.', segments, 0, i + 1);
            if (!containers.TryGetValue(prefix, out var container))
            {
                container = new ModuleContainer(segments[i]);
                parent.register_module(segments[i], container);
                containers[prefix] = container;
            }

            parent = container;
        }

        if (containers.ContainsKey(path) || parent.named_children().Any(c => c.name == segments[^1]))
        {
            module.Dispose();
            throw new ArgumentException($"two nodes of the description are named \"{path}\"");
        }

        parent.register_module(segments[^1], module);
        owned[node] = module;
    }

    private Tensor Run(ArchNode node, IReadOnlyList<Tensor> inputs, bool isRoot = false)
    {
        if (!isRoot && node.Name is not null && owned.TryGetValue(node, out var module))
        {
            return module switch
            {
                ArchitectureModule nested => nested.Run(nested.Description, inputs, isRoot: true),
                nn.Module<Tensor, Tensor> leaf => leaf.forward(Single(node, inputs)),
                _ => throw new InvalidOperationException($"module {node.Name} cannot run"),
            };
        }

        switch (node)
        {
            case MergeOp merge:
                return ArchOps.Merge(merge.Merge, inputs);
            case ArchLeaf leaf:
                return ArchOps.Apply(leaf, Single(node, inputs), training, Schedule.Probability);
            case SequentialNode sequential:
            {
                var x = Single(node, inputs);
                foreach (var step in sequential.Steps)
                {
                    x = Run(step, [x]);
                }

                return x;
            }

            case ParallelNode parallel:
            {
                var x = Single(node, inputs);
                return ArchOps.Merge(parallel.Merge, parallel.Branches.Select(b => Run(b, [x])).ToArray());
            }

            case GraphNode graph:
            {
                if (inputs.Count != graph.InputCount)
                {
                    throw new ArgumentException($"{graph.Name ?? "a graph"} takes {graph.InputCount} inputs, got {inputs.Count}");
                }

                var states = new List<Tensor>(inputs);
                foreach (var step in graph.Steps)
                {
                    states.Add(Run(step.Node, step.Inputs.Select(i => states[i]).ToArray()));
                }

                return graph.Outputs.Count == 1 ? states[graph.Outputs[0]] : torch.cat(graph.Outputs.Select(i => states[i]).ToArray(), 1);
            }

            default:
                throw new ArgumentException($"{node.GetType().Name} is not an architecture node this module can run");
        }
    }

    private static Tensor Single(ArchNode node, IReadOnlyList<Tensor> inputs) => inputs.Count == 1
        ? inputs[0]
        : throw new ArgumentException($"{node.Name ?? node.GetType().Name} takes one input, got {inputs.Count}");
}
