using System.Text.Json.Nodes;
using AutoNet.Data.Decoding;
using AutoNet.Torch.Tests.Reference;

namespace AutoNet.Data.Tests;

/// <summary>
/// Test images written by Pillow (Reference/image_reference.py) into a fresh temporary folder, with what Pillow
/// decodes from each; the folder is deleted afterwards. Nothing is written into the repository. Empty where Pillow
/// cannot run (the tests using it are then skipped).
/// </summary>
public sealed class ImageCorpus : IDisposable
{
    public ImageCorpus()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("autonet-images-").FullName;
        if (PillowAvailability.Missing is not null)
        {
            // The tests that use the corpus are skipped with the reason (PillowFact).
            Cases = [];
            Bad = [];
            return;
        }

        var reply = PythonReference.Run("image_reference.py", new JsonObject { ["dir"] = Directory });
        Cases = reply["cases"]!.AsArray().Select(c => new ImageCase(
            c!["name"]!.GetValue<string>(),
            c["file"]!.GetValue<string>(),
            c["expected"]!,
            c["info"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray())).ToList();
        Bad = reply["bad"]!.AsArray().Select(b => new BadImage(
            b!["name"]!.GetValue<string>(),
            b["file"]!.GetValue<string>(),
            b["reason"]!.GetValue<string>().Split('|').Select(Enum.Parse<ImageDecodeFailure>).ToArray())).ToList();
    }

    public string Directory { get; }

    public IReadOnlyList<ImageCase> Cases { get; }

    public IReadOnlyList<BadImage> Bad { get; }

    public ImageCase Case(string name) => Cases.Single(c => c.Name == name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>An image file and Pillow's pixels for it (uint8 [H, W, C]); Info is [width, height, channels].</summary>
public sealed record ImageCase(string Name, string File, JsonNode Expected, int[] Info);

/// <summary>A file no decoder should accept, and the failures it may report.</summary>
public sealed record BadImage(string Name, string File, ImageDecodeFailure[] Reasons);
