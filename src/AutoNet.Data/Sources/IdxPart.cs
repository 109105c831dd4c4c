using AutoNet.Data.Splits;

namespace AutoNet.Data.Sources;

/// <summary>A pair of IDX files (images and labels, gzip or raw) and the split the source gives them, if any.</summary>
public sealed record IdxPart(string ImagesPath, string LabelsPath, SplitPart? Split);
