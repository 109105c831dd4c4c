namespace AutoNet.Models.Backbones;

/// <summary>What loading a weights file does with the classifier (torchvision's <c>fc</c> or <c>classifier</c>).</summary>
public enum HeadWeights
{
    /// <summary>Load the classifier when the file's has exactly the model's shapes; otherwise (another class count, or none in the file) keep the model's freshly initialised one.</summary>
    Auto,

    /// <summary>The file's classifier must be there with the model's shapes, and is loaded (an exact torchvision load).</summary>
    Load,

    /// <summary>Ignore the file's classifier and keep the model's own.</summary>
    Skip,
}
