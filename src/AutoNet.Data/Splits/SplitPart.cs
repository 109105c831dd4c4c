namespace AutoNet.Data.Splits;

/// <summary>The part of a data set a sample belongs to.</summary>
public enum SplitPart
{
    Train,
    Validation,
    Test,
}
