namespace AutoNet.Data.Sources;

/// <summary>Opens what a user names: a built-in data set name, a CSV manifest (a file) or an image folder.</summary>
public static class DataSetSources
{
    public static DataSetListing Open(string pathOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrName);
        if (Directory.Exists(pathOrName))
        {
            return ImageFolderSource.Scan(pathOrName);
        }

        if (File.Exists(pathOrName))
        {
            return CsvManifestSource.Scan(pathOrName);
        }

        if (BuiltInDataSets.IsBuiltIn(pathOrName))
        {
            return BuiltInDataSets.Open(pathOrName);
        }

        var full = Path.GetFullPath(pathOrName);
        throw new DataSetException(full, $"'{pathOrName}' is neither an image folder, a CSV manifest nor a built-in data set ({string.Join(", ", BuiltInDataSets.Names)}): '{full}' does not exist");
    }
}
