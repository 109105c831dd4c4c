namespace AutoNet.Cli.Tests;

/// <summary>
/// An option README.md says a command has: <paramref name="Option"/> (such as <c>--max-trials</c>) for one of
/// <paramref name="Commands"/> (<c>search</c>, <c>data inspect</c>) when <paramref name="Every"/> is false, for each of
/// them when it is true, read at <paramref name="LineNumber"/> from <paramref name="Text"/>.
/// </summary>
public sealed record ReadmeOptionClaim(int LineNumber, string Option, IReadOnlyList<string> Commands, bool Every, string Text)
{
    public override string ToString() =>
        $"README.md:{LineNumber}: {Option} ({(Every ? "every one of" : "one of")} {string.Join(", ", Commands)}) in: {Text}";
}
