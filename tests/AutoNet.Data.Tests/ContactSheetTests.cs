using AutoNet.Data.Decoding;
using AutoNet.Data.Drawing;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Tests;

public sealed class ContactSheetTests : IDisposable
{
    private readonly TempTree data = new();
    private readonly TempTree output = new();

    public void Dispose()
    {
        data.Dispose();
        output.Dispose();
    }

    [Fact]
    public void A_row_per_class_shows_its_first_images_fitted_into_tiles()
    {
        ImageFiles.Classes(data, 20, ("ant", 3), ("bee", 5), ("cat", 1));
        data.File("ant/aaa_broken.png", 20);
        var listing = ImageFolderSource.Scan(data.Root);
        var path = Path.Join(output.Root, "sheets", "sheet.png");
        var (width, height) = ContactSheet.Write(path, listing, perClass: 4, tile: 32);
        Assert.Equal((2 + (4 * 34), 2 + (3 * 34)), (width, height));

        using var sheet = ImageDecoder.Default.DecodeFile(path);
        Assert.Equal(new long[] { height, width, 3 }, sheet.Shape);
        var pixels = sheet.ToArray<byte>();

        // Row 1, column 0 is bee/img000.png (the broken file of ant is passed over), grey in all three channels.
        var tile = new byte[32 * 32];
        using (var decoded = ImageDecoder.Default.DecodeFile(data.PathOf("bee/img000.png")))
        {
            new ImageTransform(32, 32, 1, ImageFit.Pad).Apply(decoded, tile);
        }

        for (var y = 0; y < 32; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                var at = ((((2 + 34 + y) * width) + 2 + x) * 3);
                Assert.Equal(tile[(y * 32) + x], pixels[at]);
                Assert.Equal(tile[(y * 32) + x], pixels[at + 2]);
            }
        }

        // cat has one image: the rest of its row is background.
        Assert.Equal(96, pixels[(((2 + 68 + 5) * width) + 2 + 34 + 5) * 3]);
    }

    [Fact]
    public void A_sheet_inside_the_data_folder_is_refused()
    {
        ImageFiles.Classes(data, 20, ("ant", 2), ("bee", 2));
        var before = data.Snapshot();
        var error = Assert.Throws<DataSetException>(() => ContactSheet.Write(data.PathOf("ant/sheet.png"), ImageFolderSource.Scan(data.Root)));
        Assert.Contains(data.Root, error.Message);
        Assert.Equal(before, data.Snapshot());
    }
}
