namespace AutoNet.Torch.Tests;

/// <summary>A fact that trains on Debian's Fashion-MNIST: reported as skipped (never passed) where the package is missing.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsInstalled)
        {
            Skip = $"Fashion-MNIST is not in {FashionMnist.Folder}; install the Debian package dataset-fashion-mnist";
        }
    }
}
