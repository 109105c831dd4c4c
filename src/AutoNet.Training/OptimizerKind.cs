namespace AutoNet.Training;

public enum OptimizerKind
{
    /// <summary>SGD with (Nesterov) momentum: the NAS papers' choice for cell networks.</summary>
    Sgd,

    /// <summary>AdamW: forgiving of the learning rate, the safer choice for short budgets and fine-tuning.</summary>
    AdamW,
}
