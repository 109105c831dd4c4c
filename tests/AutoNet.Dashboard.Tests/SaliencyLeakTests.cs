using AutoNet.Store;
using AutoNet.Torch;

namespace AutoNet.Dashboard.Tests;

/// <summary>Saliency maps computed again and again leave no tensor behind (the network kept for them aside).</summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class SaliencyLeakTests(SearchedStoreFixture fixture)
{
    [Fact]
    public async Task Repeated_saliency_maps_leak_no_tensor()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath, new StoreOptions { ReadOnly = true });
        var experiment = (await store.GetExperimentAsync(SearchedStoreFixture.Random))!;
        var trial = (await store.ListTrialsAsync(experiment.Id, TrialState.Completed))[0];
        var images = new TestImages(fixture.Workspace);
        using var saliency = new SaliencyMaps(fixture.Workspace, images);
        saliency.Png(experiment, trial, 0);
        var before = TorchEngine.CountLiveTensors();
        for (var i = 0; i < 20; i++)
        {
            saliency.Png(experiment, trial, i % 10);
        }

        Assert.Equal(before, TorchEngine.CountLiveTensors());
    }
}
