using AutoNet.Data.Sources;

namespace AutoNet.Data.Inspection;

/// <summary>Samples whose bytes are identical (same SHA-256): the same image listed more than once.</summary>
public sealed record DuplicateGroup(string Sha256, IReadOnlyList<LabelledSample> Samples)
{
    /// <summary>Whether the copies carry different labels: a labelling error a classifier cannot learn around.</summary>
    public bool AcrossClasses => Samples.Select(s => s.Label).Distinct().Skip(1).Any();
}
