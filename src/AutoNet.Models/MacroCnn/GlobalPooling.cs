namespace AutoNet.Models.MacroCnn;

/// <summary>The pooling before a macro-cnn's classifier.</summary>
public enum GlobalPooling
{
    Average,
    Max,
}
