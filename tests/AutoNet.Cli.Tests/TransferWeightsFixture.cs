namespace AutoNet.Cli.Tests;

/// <summary>
/// Grey Fashion-MNIST PNGs (16 per class) and pretrained weights python3-torch wrote: torchvision's ResNet-18 after
/// torch.manual_seed(0) saved with torch.save, the same with one layer of the wrong shape, and a state dict of another
/// network. Written once per test class.
/// </summary>
public sealed class TransferWeightsFixture : IDisposable
{
    private const string WriteWeights = """
        import sys, torch, torchvision
        folder = sys.argv[1]
        torch.manual_seed(0)
        state = torchvision.models.resnet18().state_dict()
        torch.save(state, folder + "/resnet18.pth")
        # One layer of the wrong kernel size: a ResNet-18 in every other tensor.
        state["layer4.1.conv2.weight"] = torch.zeros(512, 512, 1, 1)
        torch.save(state, folder + "/mismatched.pth")
        # A state dict of some other network.
        torch.save(torch.nn.Linear(4, 2).state_dict(), folder + "/linear.pth")
        """;

    public TransferWeightsFixture()
    {
        Root = Directory.CreateTempSubdirectory("autonet-transfer-search-").FullName;
        Data = Path.Join(Root, "data");
        Weights = Path.Join(Root, "weights");
        Directory.CreateDirectory(Weights);
        FashionMnistFolder.Write(Data, perClass: 16);
        var (exitCode, stdout, stderr) = ProcessRunner.Run("/usr/bin/python3", ["-c", WriteWeights, Weights], timeoutSeconds: 300);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"python3-torch could not write the weights: {stderr}{stdout}");
        }

        // The first 100 kB of a real one: the zip directory at its end is gone.
        File.WriteAllBytes(Path.Join(Weights, "truncated.pth"), File.ReadAllBytes(Path.Join(Weights, "resnet18.pth"))[..100_000]);
    }

    public string Root { get; }

    public string Data { get; }

    public string Weights { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
