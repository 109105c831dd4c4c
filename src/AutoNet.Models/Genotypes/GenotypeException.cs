namespace AutoNet.Models.Genotypes;

/// <summary>A genotype (or its JSON) that is not valid; <see cref="Path"/> says where, as a JSON path when known.</summary>
public sealed class GenotypeException : Exception
{
    public GenotypeException(string path, string problem)
        : base(path.Length == 0 ? problem : $"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    public GenotypeException(string path, string problem, Exception inner)
        : base(path.Length == 0 ? problem : $"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Where the problem is, e.g. <c>$.normal.blocks[2][1].input</c>.</summary>
    public string Path { get; }

    /// <summary>What is wrong and what was expected.</summary>
    public string Problem { get; }
}
