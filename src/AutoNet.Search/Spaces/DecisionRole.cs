namespace AutoNet.Search.Spaces;

/// <summary>What a decision of a space chooses, so a strategy can, e.g., mutate one op, one input or one hyperparameter.</summary>
public enum DecisionRole
{
    /// <summary>Which earlier state a cell block reads (<c>normal/block2/input0</c>).</summary>
    CellInput,

    /// <summary>Which op a cell block applies to one of its inputs (<c>normal/block2/op0</c>).</summary>
    CellOp,

    /// <summary>An architecture choice outside the cells (<c>arch/init_channels</c>, <c>arch/backbone</c>).</summary>
    Architecture,

    /// <summary>A training hyperparameter (<c>hp/learning_rate</c>).</summary>
    Hyperparameter,
}
