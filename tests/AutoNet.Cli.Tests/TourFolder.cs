
using AutoNet.Data.Drawing;

namespace AutoNet.Cli.Tests;

/// <summary>
/// A fresh working directory holding what the README tour's reader brings, made from real Fashion-MNIST images (28 x 28 grey
/// PNGs): <c>photos/</c>, 40 training images per class in class sub-folders; <c>holdout/</c>, 10 test-set images per class
/// in the same class folders; <c>new-photos/</c>, 12 unlabelled test-set images; <c>shirt.png</c>, a test-set shirt.
/// Everything the commands write (the workspace .autonet/, model/, predictions.csv) lands here too.
/// </summary>
public sealed class TourFolder : IDisposable
{
    public const int PerClass = 40;
    public const int ShirtLabel = 6;

    public TourFolder()
    {
        Root = Directory.CreateTempSubdirectory("autonet-readme-tour-").FullName;
        FashionMnistFolder.Write(Photos, PerClass);
        FashionMnistFolder.Write(Path.Join(Root, "holdout"), 10, "t10k");
        var (images, labels) = FashionMnistFolder.Read("t10k");
        var unlabelled = Path.Join(Root, "new-photos");
        Directory.CreateDirectory(unlabelled);
        // Test images 1000 and on: none of them is in holdout/, which took the first ten of each class.
        for (var i = 1000; i < 1012; i++)
        {
            PngWriter.Write(Path.Join(unlabelled, $"img{i:D5}.png"), images.AsSpan(i * 784, 784), 28, 28, 1);
        }

        var shirt = Array.FindIndex(labels, 2000, l => l == ShirtLabel);
        PngWriter.Write(Path.Join(Root, "shirt.png"), images.AsSpan(shirt * 784, 784), 28, 28, 1);
    }

    public string Root { get; }

    public string Photos => Path.Join(Root, "photos");

    public string StorePath => Path.Join(Root, CliStore.DefaultWorkspace, "autonet.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
