using System.IO.Compression;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;
using AutoNet.Export.Onnx;
using AutoNet.Export.Packaging;
using AutoNet.Models.MacroCnn;

using TorchSharp;

namespace AutoNet.Cli.Tests;

/// <summary>
/// A small labelled folder of Fashion-MNIST test images (three classes, written as PNGs into a temporary folder) and
/// a seeded grey macro-cnn packaged with every format at 20 × 20, so predict and evaluate resize and normalise.
/// </summary>
public sealed class PackagedModelFixture : IDisposable
{
    public const int PerClass = 8;

    public static readonly string[] Classes = ["Trouser", "Bag", "Sneaker"];

    public PackagedModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("autonet-predict-").FullName;
        Data = Path.Join(Root, "data");
        Package = Path.Join(Root, "package");
        WriteImages();
        torch.set_num_threads(1);
        torch.manual_seed(11);
        using var model = new MacroCnnNetwork(new MacroCnnConfig(1, Classes.Length, [new MacroCnnStage(4, 1, Residual: true), new MacroCnnStage(6, 1)],
            MacroCnnDownsampling.StridedConv, GlobalPooling.Max));
        model.eval();
        ModelPackage.Write(Package, model, new ModelPackageOptions
        {
            Preprocessing = new OnnxPreprocessing(20, 20, OnnxChannelOrder.Grayscale, [0.286], [0.353]),
            ClassNames = Classes,
        });
    }

    public string Root { get; }

    /// <summary>Class folders of PNGs; tests must not write here.</summary>
    public string Data { get; }

    public string Package { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void WriteImages()
    {
        var images = Unzip(Path.Join(BuiltInDataSets.FashionMnistFolder, "t10k-images-idx3-ubyte.gz"));
        var labels = Unzip(Path.Join(BuiltInDataSets.FashionMnistFolder, "t10k-labels-idx1-ubyte.gz"));
        foreach (var name in Classes)
        {
            var label = BuiltInDataSets.FashionMnistClasses.ToList().IndexOf(name);
            Directory.CreateDirectory(Path.Join(Data, name));
            var written = 0;
            for (var i = 0; written < PerClass; i++)
            {
                if (labels[8 + i] == label)
                {
                    var pixels = images.AsSpan(16 + (i * 784), 784).ToArray();
                    File.WriteAllBytes(Path.Join(Data, name, $"{i:D5}.png"), PngWriter.Encode(pixels, 28, 28, 1));
                    written++;
                }
            }
        }
    }

    private static byte[] Unzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
