using AutoNet.Data.Splits;

namespace AutoNet.Data.Sources;

/// <summary>
/// Data sets known by name that need no download. <c>fashion-mnist</c> is Debian's <c>dataset-fashion-mnist</c>
/// package under <see cref="FashionMnistFolder"/>: 60,000 training images (given split Train) and 10,000 test
/// images (given split Test) of 28 x 28 grey pixels in 10 classes.
/// </summary>
public static class BuiltInDataSets
{
    public const string FashionMnistName = "fashion-mnist";

    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's class names by label value.</summary>
    public static IReadOnlyList<string> FashionMnistClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static IReadOnlyList<string> Names { get; } = [FashionMnistName];

    public static bool IsBuiltIn(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The source of a built-in data set; <paramref name="folder"/> overrides where its files are looked for.</summary>
    public static IdxSource Resolve(string name, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.Equals(FashionMnistName, StringComparison.OrdinalIgnoreCase))
        {
            throw new DataSetException(name, $"'{name}' is not a built-in data set; known: {string.Join(", ", Names)}");
        }

        folder ??= FashionMnistFolder;
        const string install = "install it with `apt-get install dataset-fashion-mnist`";
        if (!Directory.Exists(folder))
        {
            throw new DataSetException(folder, $"data set '{FashionMnistName}' not found: folder '{folder}' does not exist; {install}");
        }

        string Find(string stem)
        {
            foreach (var candidate in new[] { stem + ".gz", stem })
            {
                var path = Path.Join(folder, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }

            throw new DataSetException(folder, $"data set '{FashionMnistName}' is incomplete: folder '{folder}' has no '{stem}.gz' (or '{stem}'); {install}");
        }

        return new IdxSource(
            FashionMnistName,
            [
                new IdxPart(Find("train-images-idx3-ubyte"), Find("train-labels-idx1-ubyte"), SplitPart.Train),
                new IdxPart(Find("t10k-images-idx3-ubyte"), Find("t10k-labels-idx1-ubyte"), SplitPart.Test),
            ],
            FashionMnistClasses);
    }

    public static DataSetListing Open(string name, string? folder = null) => Resolve(name, folder).Scan();
}
