namespace AutoNet.Store;

/// <summary>
/// A file or folder an experiment's trials read besides the data (a transfer space's pretrained weights file or
/// model package), kept in the store for machines that do not have it: packed into one zip archive, under the path
/// the experiment's space names it by.
/// </summary>
public sealed record StoredInput(long ExperimentId, string Path, bool IsFolder, byte[] Archive, string Sha256);
