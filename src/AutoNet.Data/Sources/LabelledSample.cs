using AutoNet.Data.Splits;

namespace AutoNet.Data.Sources;

/// <summary>
/// One labelled sample, listed but not decoded. <see cref="Key"/> is stable and unique within its listing
/// (a path relative to the data set's root with '/' separators, or "file#index" for an IDX item) and is what a
/// persisted <see cref="DataSplit"/> is keyed by. <see cref="Path"/> is the file to read; for an IDX item it is the
/// images file and <see cref="ItemIndex"/> the item's position in it (-1 for a file per sample).
/// </summary>
public sealed record LabelledSample(string Key, string Path, int Label, SplitPart? GivenSplit, int ItemIndex = -1);
