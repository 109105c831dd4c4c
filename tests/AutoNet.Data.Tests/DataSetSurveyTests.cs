using AutoNet.Data.Decoding;
using AutoNet.Data.Drawing;
using AutoNet.Data.Inspection;
using AutoNet.Data.Sources;

namespace AutoNet.Data.Tests;

public sealed class DataSetSurveyTests : IDisposable
{
    private readonly TempTree data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void Duplicates_are_found_by_content_and_those_across_classes_come_first()
    {
        ImageFiles.Classes(data, 12, ("ant", 4), ("bee", 4));
        File.Copy(data.PathOf("ant/img000.png"), data.PathOf("bee/copy_of_ant.png"));
        File.Copy(data.PathOf("bee/img001.png"), data.PathOf("bee/nested/again.png").Replace("nested/", string.Empty, StringComparison.Ordinal));
        var survey = DataSetSurvey.Run(ImageFolderSource.Scan(data.Root), threads: 2);
        Assert.Equal(2, survey.Duplicates.Count);
        Assert.True(survey.Duplicates[0].AcrossClasses);
        Assert.Equal(["ant/img000.png", "bee/copy_of_ant.png"], survey.Duplicates[0].Samples.Select(s => s.Key));
        Assert.False(survey.Duplicates[1].AcrossClasses);
        Assert.Equal(["bee/again.png", "bee/img001.png"], survey.Duplicates[1].Samples.Select(s => s.Key));
    }

    [Fact]
    public void Sizes_modes_formats_and_undecodable_files_are_reported()
    {
        ImageFiles.Png(data, "ant/dot.png", 1, 1, 1, 1);
        ImageFiles.Png(data, "ant/strip.png", 3000, 2, 3, 2);
        ImageFiles.Png(data, "bee/a.png", 40, 30, 4, 3);
        ImageFiles.Png(data, "bee/b.png", 40, 30, 2, 4);
        var truncated = PngWriter.Encode(new byte[40 * 30], 40, 30, 1);
        File.WriteAllBytes(data.PathOf("bee/truncated.png"), truncated[..(truncated.Length / 2)]);
        var survey = DataSetSurvey.Run(ImageFolderSource.Scan(data.Root), threads: 2);
        Assert.Equal(4, survey.Decodable);
        var failure = Assert.Single(survey.Failures);
        Assert.Equal(data.PathOf("bee/truncated.png"), failure.Path);
        Assert.Contains(failure.Failure, new[] { ImageDecodeFailure.Truncated, ImageDecodeFailure.Corrupt });
        Assert.Equal(1, survey.Sizes.MinWidth);
        Assert.Equal(3000, survey.Sizes.MaxWidth);
        Assert.Equal(1, survey.Sizes.MinHeight);
        Assert.Equal(30, survey.Sizes.MaxHeight);
        Assert.Equal(3, survey.Sizes.DistinctSizes);
        Assert.Equal(new ImageSizeCount(40, 30, 2), survey.Sizes.MostCommon[0]);
        Assert.Equal(new Dictionary<string, int> { ["L"] = 1, ["RGB"] = 1, ["RGBA"] = 1, ["LA"] = 1 }, survey.Modes);
        Assert.Equal(new Dictionary<string, int> { ["PNG"] = 4 }, survey.Formats);
    }

    [Fact]
    public void Fashion_mnist_is_surveyed_from_its_idx_items()
    {
        var survey = DataSetSurvey.Run(BuiltInDataSets.Open(BuiltInDataSets.FashionMnistName), threads: 2);
        Assert.Equal(70_000, survey.Decodable);
        Assert.Equal(new Dictionary<string, int> { ["L"] = 70_000 }, survey.Modes);
        Assert.Equal(new ImageSizeCount(28, 28, 70_000), Assert.Single(survey.Sizes.MostCommon));
        Assert.All(survey.Duplicates, d => Assert.True(d.Samples.Count >= 2));
    }
}
