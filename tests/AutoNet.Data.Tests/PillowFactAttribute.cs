namespace AutoNet.Data.Tests;

/// <summary>A fact compared against Pillow: reported as skipped, with the reason, where Pillow cannot run.</summary>
public sealed class PillowFactAttribute : FactAttribute
{
    public PillowFactAttribute()
    {
        if (PillowAvailability.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
