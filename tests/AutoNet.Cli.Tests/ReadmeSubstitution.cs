using System.Text.RegularExpressions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// One rewrite the README tour test applies to a README command line before running it: every match of
/// <paramref name="Pattern"/> is replaced by <paramref name="Replacement"/>, in which <c>{photos}</c> and <c>{postgres}</c>
/// stand for the test's image folder and database. <paramref name="Why"/> is printed with every line it changes.
/// </summary>
public sealed record ReadmeSubstitution(string Name, Regex Pattern, string Replacement, string Why);
