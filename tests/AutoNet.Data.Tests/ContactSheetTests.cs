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
        var layout = ContactSheet.Write(path, listing, perClass: 4, tile: 32);
        var (width, height) = (layout.Width, layout.Height);
        Assert.Equal((32, 34, 2), (layout.Tile, layout.Pitch, layout.TileTop));
        Assert.Equal((layout.TileLeft + (4 * 34), 2 + (3 * 34)), (width, height));
        // The class names are drawn in the column left of the tiles: it is wider than a gap.
        Assert.True(layout.TileLeft > 20, $"label column {layout.TileLeft} px");

        using var sheet = ImageDecoder.Default.DecodeFile(path);
        Assert.Equal(new long[] { height, width, 3 }, sheet.shape);
        var pixels = sheet.data<byte>().ToArray();

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
                var at = ((((2 + 34 + y) * width) + layout.TileLeft + x) * 3);
                Assert.Equal(tile[(y * 32) + x], pixels[at]);
                Assert.Equal(tile[(y * 32) + x], pixels[at + 2]);
            }
        }

        // cat has one image: the rest of its row is background.
        Assert.Equal(96, pixels[(((2 + 68 + 5) * width) + layout.TileLeft + 34 + 5) * 3]);
        // Its label is drawn: some pixels of the label column in cat's row are lighter than the background.
        var lit = 0;
        for (var y = 68; y < 68 + 34; y++)
        {
            for (var x = 0; x < layout.TileLeft - 2; x++)
            {
                lit += pixels[((y * width) + x) * 3] > 160 ? 1 : 0;
            }
        }

        Assert.True(lit > 20, $"{lit} light pixels where the label 'cat (1)' should be");
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
