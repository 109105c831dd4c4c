using System.Globalization;
using AutoNet.Torch.Scalars;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoNet.Training.OneShot;

/// <summary>
/// The weights every path of a weight-sharing supernet draws from. A network of a cell or macro space names its
/// parameters by position ("stages.1.2.conv1.weight", "cells.3._ops.5.op.1.weight"), so one tensor serves every
/// network that has a parameter at the same place. A parameter is keyed by its name, its kernel size and, for a
/// convolution, its stride, dilation and grouping, but not by its channel counts: a network with fewer channels at a
/// place uses the leading channels of the shared tensor (the channel search of SPOS, Guo et al. 2020, and of
/// once-for-all networks), which grows when a wider network comes. Two kernel sizes, or a separable and a dilated
/// convolution on one edge, therefore get weights of their own, as the candidate blocks of SPOS do, while widths share.
/// A parameter, or a channel, seen for the first time starts from the initialisation of the network that brought it.
/// Training updates only the weights of the path that ran, with SGD and momentum kept per shared element. Batch-norm
/// statistics are not shared: they are recalibrated for each network judged.
/// </summary>
public sealed class SharedWeights : IDisposable
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>How many distinct shared tensors the paths seen so far have brought.</summary>
    public int Count => entries.Count;

    /// <summary>Parameters held in all, over every path seen.</summary>
    public long ParameterCount => entries.Values.Sum(e => e.Value.numel());

    /// <summary>
    /// Copies the shared weights into <paramref name="network"/>'s parameters and returns the binding
    /// <see cref="Step"/> updates through. A parameter (or channel) no path has brought yet keeps the network's own
    /// value; with <paramref name="register"/> (training) that value becomes shared, without (judging) it is left out.
    /// </summary>
    public IReadOnlyList<SharedBinding> Load(nn.Module network, bool register = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        var bound = new List<SharedBinding>();
        using var noGrad = torch.no_grad();
        foreach (var (key, parameter) in Keyed(network))
        {
            using var scope = torch.NewDisposeScope();
            if (!entries.TryGetValue(key, out var entry))
            {
                if (!register)
                {
                    continue;
                }

                entry = new Entry(parameter.detach().clone().DetachFromDisposeScope(), torch.zeros_like(parameter).DetachFromDisposeScope());
                entries[key] = entry;
            }
            else if (register && !Fits(parameter.shape, entry.Value.shape))
            {
                entry = Grown(entry, parameter);
                entries[key] = entry;
            }

            var overlap = parameter.shape.Zip(entry.Value.shape, Math.Min).ToArray();
            Region(parameter, overlap).copy_(Region(entry.Value, overlap));
            bound.Add(new SharedBinding(key, parameter));
        }

        return bound;
    }

    /// <summary>
    /// One SGD step with momentum on the shared weights <paramref name="bound"/> names (the channels the network
    /// used), from the gradients of the network they were loaded into; weight decay applies to weights of two or more
    /// dimensions (not to biases or batch-norm scales). Parameters without a gradient are left as they are.
    /// </summary>
    public void Step(IReadOnlyList<SharedBinding> bound, double learningRate, double momentum, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(bound);
        using var noGrad = torch.no_grad();
        using var step = (-learningRate).ToScalar();
        using var keep = momentum.ToScalar();
        using var decay = weightDecay.ToScalar();
        foreach (var binding in bound)
        {
            if (binding.Parameter.grad is not { } gradient)
            {
                continue;
            }

            using var scope = torch.NewDisposeScope();
            var entry = entries[binding.Key];
            var value = Region(entry.Value, binding.Parameter.shape);
            var velocity = Region(entry.Momentum, binding.Parameter.shape);
            velocity.mul_(keep).add_(gradient, HeldScalars.One);
            if (weightDecay > 0 && entry.Value.dim() > 1)
            {
                velocity.add_(value, decay);
            }

            value.add_(velocity, step);
            entry.Updates++;
        }
    }

    /// <summary>How many steps updated the shared tensor of <paramref name="key"/> (0 when unknown).</summary>
    public long UpdatesOf(string key) => entries.TryGetValue(key, out var entry) ? entry.Updates : 0;

    /// <summary>The keys of <paramref name="network"/>'s parameters, in its parameter order.</summary>
    public static IReadOnlyList<string> KeysOf(nn.Module network) => [.. Keyed(network).Select(k => k.Key)];

    /// <summary>
    /// Writes the shared weights (not the momentum: a saved supernet is done training) to <paramref name="path"/>,
    /// through a temporary file so an interrupted write leaves the earlier file or none; <paramref name="identity"/>
    /// says what they were trained on, and <see cref="TryLoad"/> takes them back only for the same identity.
    /// </summary>
    public void Save(string path, string identity)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(identity);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".partial";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(FileMagic);
            writer.Write(identity);
            writer.Write(entries.Count);
            foreach (var (key, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                writer.Write(entry.Value.dim());
                foreach (var size in entry.Value.shape)
                {
                    writer.Write(size);
                }

                using var values = entry.Value.detach().cpu().contiguous();
                foreach (var value in values.data<float>())
                {
                    writer.Write(value);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Replaces these weights by those <see cref="Save"/> wrote to <paramref name="path"/> for <paramref name="identity"/>;
    /// false (and nothing changed) when there is no such file, it was saved for something else, or it cannot be read
    /// as a supernet (the reason in <paramref name="problem"/>, null when the file is simply absent).
    /// </summary>
    public bool TryLoad(string path, string identity, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        problem = null;
        if (!File.Exists(path))
        {
            return false;
        }

        var loaded = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != FileMagic)
            {
                problem = $"{path} is not a saved supernet";
                return false;
            }

            if (reader.ReadString() is var saved && saved != identity)
            {
                problem = $"{path} holds a supernet of {saved}, not of {identity}";
                return false;
            }

            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var shape = new long[reader.ReadInt64()];
                for (var d = 0; d < shape.Length; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                var values = new float[shape.Aggregate(1L, (a, b) => checked(a * b))];
                for (var v = 0; v < values.Length; v++)
                {
                    values[v] = reader.ReadSingle();
                }

                var value = torch.tensor(values, shape).DetachFromDisposeScope();
                loaded[key] = new Entry(value, torch.zeros_like(value).DetachFromDisposeScope());
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException or ArgumentException or OutOfMemoryException)
        {
            foreach (var entry in loaded.Values)
            {
                entry.Dispose();
            }

            problem = $"{path} cannot be read as a saved supernet ({e.Message})";
            return false;
        }

        Dispose();
        foreach (var (key, entry) in loaded)
        {
            entries[key] = entry;
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var entry in entries.Values)
        {
            entry.Dispose();
        }

        entries.Clear();
    }

    private static IEnumerable<(string Key, Parameter Parameter)> Keyed(nn.Module network)
    {
        // TorchSharp's named_modules leaves out the root, whose own parameters count too.
        foreach (var (path, module) in network.named_modules().Where(m => m.name.Length > 0).Prepend((string.Empty, network)))
        {
            // A depthwise convolution has as many groups as channels: that is its kind, not a count that varies with width.
            var signature = module is Convolution convolution
                ? string.Create(CultureInfo.InvariantCulture,
                    $"|s{string.Join('x', convolution.stride)}|d{string.Join('x', convolution.dilation)}|g{(convolution.groups > 1 && convolution.groups == convolution.in_channels ? "dw" : convolution.groups.ToString(CultureInfo.InvariantCulture))}")
                : string.Empty;
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                var fullName = path.Length == 0 ? name : $"{path}.{name}";
                // Channels (the first two dimensions) are sliced; the rest (a kernel) is part of the key.
                var kernel = string.Join('x', parameter.shape.Skip(2));
                yield return ($"{fullName}|r{parameter.dim()}{(kernel.Length > 0 ? "|k" + kernel : string.Empty)}{signature}", parameter);
            }
        }
    }

    private static bool Fits(long[] shape, long[] within) => shape.Zip(within).All(p => p.First <= p.Second);

    /// <summary>The leading <paramref name="shape"/> of <paramref name="tensor"/>, a view (in the caller's dispose scope).</summary>
    private static Tensor Region(Tensor tensor, long[] shape)
    {
        var view = tensor.alias();
        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < view.shape[d])
            {
                view = view.narrow(d, 0, shape[d]);
            }
        }

        return view;
    }

    /// <summary>
    /// <paramref name="entry"/> widened to hold <paramref name="parameter"/>: the shared values keep their place, the new
    /// channels take the parameter's own initial values, and momentum starts at zero there.
    /// </summary>
    private static Entry Grown(Entry entry, Tensor parameter)
    {
        var shape = entry.Value.shape.Zip(parameter.shape, Math.Max).ToArray();
        var value = torch.zeros(shape, entry.Value.dtype, entry.Value.device).DetachFromDisposeScope();
        var momentum = torch.zeros(shape, entry.Value.dtype, entry.Value.device).DetachFromDisposeScope();
        Region(value, parameter.shape).copy_(parameter);
        Region(value, entry.Value.shape).copy_(entry.Value);
        Region(momentum, entry.Momentum.shape).copy_(entry.Momentum);
        var grown = new Entry(value, momentum) { Updates = entry.Updates };
        entry.Dispose();
        return grown;
    }

    private const string FileMagic = "AutoNet supernet weights 1";

    private sealed class Entry(Tensor value, Tensor momentum) : IDisposable
    {
        public void Dispose()
        {
            Value.Dispose();
            Momentum.Dispose();
        }

        public Tensor Value { get; } = value;

        public Tensor Momentum { get; } = momentum;

        public long Updates { get; set; }
    }
}
