namespace AutoNet.Cli;

/// <summary>One line of `autonet doctor`: what was checked, what was found, and whether it is usable.</summary>
public sealed record DoctorCheck(string Name, string Value, bool Ok, string? Hint = null);
