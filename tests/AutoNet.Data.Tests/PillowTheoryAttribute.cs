namespace AutoNet.Data.Tests;

/// <summary>A theory compared against Pillow: reported as skipped, with the reason, where Pillow cannot run.</summary>
public sealed class PillowTheoryAttribute : TheoryAttribute
{
    public PillowTheoryAttribute()
    {
        if (PillowAvailability.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
