using System.Text.Json.Serialization;

namespace AutoNet.Models.Architecture;

/// <summary>
/// One node of an architecture description: a leaf operation (conv2d, batch_norm2d, relu, …) or a combinator
/// (sequential, parallel, graph) over child nodes. A description is the single source of a network's forward pass
/// (<see cref="ArchitectureModule"/>), and of what the export layer derives from it (ONNX graph, model.py).
/// <para>
/// <see cref="Name"/> is the node's state-dict path segment relative to the nearest named ancestor, as a PyTorch
/// attribute name ("conv1", "0"); it may hold dots ("_ops.3": a container "_ops" holding "3"). A named node is a
/// module of its own; an unnamed combinator lends its named descendants to the enclosing named module (so a
/// residual unit's conv1 and bn1 sit directly under the unit, as in PyTorch); an unnamed leaf is a functional call
/// and must hold no parameters. The JSON form is <see cref="ArchitectureJson"/>'s; the leaf vocabulary is listed in
/// Architecture/README.md.
/// </para>
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dOp), "conv2d")]
[JsonDerivedType(typeof(BatchNorm2dOp), "batch_norm2d")]
[JsonDerivedType(typeof(LinearOp), "linear")]
[JsonDerivedType(typeof(ActivationOp), "activation")]
[JsonDerivedType(typeof(PoolOp), "pool2d")]
[JsonDerivedType(typeof(GlobalPoolOp), "global_pool")]
[JsonDerivedType(typeof(FlattenOp), "flatten")]
[JsonDerivedType(typeof(DropoutOp), "dropout")]
[JsonDerivedType(typeof(IdentityOp), "identity")]
[JsonDerivedType(typeof(ZeroOp), "zero")]
[JsonDerivedType(typeof(CropOp), "crop")]
[JsonDerivedType(typeof(DropPathOp), "drop_path")]
[JsonDerivedType(typeof(MergeOp), "merge")]
[JsonDerivedType(typeof(SequentialNode), "sequential")]
[JsonDerivedType(typeof(ParallelNode), "parallel")]
[JsonDerivedType(typeof(GraphNode), "graph")]
public abstract record ArchNode(string? Name)
{
    /// <summary>The direct child nodes (none for a leaf), in state-dict order.</summary>
    [JsonIgnore]
    public abstract IEnumerable<ArchNode> Children { get; }

    /// <summary>Whether this node holds parameters or buffers of its own (and so must be named).</summary>
    [JsonIgnore]
    public virtual bool HasState => false;

    /// <summary>How many input tensors the node takes; 1 but for <see cref="MergeOp"/> (any) and <see cref="GraphNode"/>.</summary>
    [JsonIgnore]
    public virtual int Arity => 1;
}
