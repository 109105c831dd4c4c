namespace AutoNet.Data;

/// <summary>The part of a data set a sample belongs to.</summary>
public enum SplitPart
{
    Train,
    Validation,
    Test,
}
