using System.Diagnostics;
using System.Globalization;
using AutoNet.Data;
using AutoNet.Data.Cache;
using AutoNet.Data.Decoding;
using AutoNet.Data.Sources;
using AutoNet.Data.Splits;

// The AutoNet side of experiments/bench/cache_build: scans an image folder, splits it (80/10/10, seed 0) and builds
// the decoded cache at the images' own 28 x 28 (colour chosen from the data) into a fresh workspace. The timed part
// is DecodedCache.Open: fingerprint, header pass, decode, write. Prints one JSON line, as the Pillow peer does.
var folder = Text("--folder") ?? throw new ArgumentException("--folder is required");
var workspace = Text("--workspace") ?? throw new ArgumentException("--workspace is required");
var threads = Number("--threads", Environment.ProcessorCount);
var size = Number("--size", 28);

// libtorch and SkiaSharp load before any clock starts (about a second here), as the peer imports Pillow first.
if (!ImageDecoder.CodecsAvailable)
{
    throw new InvalidOperationException("SkiaSharp's native library (libSkiaSharp) could not be loaded");
}

var scanClock = Stopwatch.StartNew();
var listing = ImageFolderSource.Scan(folder);
var split = new StratifiedSplitter(seed: 0).Split(listing);
var scanSeconds = scanClock.Elapsed.TotalSeconds;

var clock = Stopwatch.StartNew();
var stages = new StageLog(clock);
var cache = DecodedCache.Open(workspace, listing, split, new DecodedCacheSettings(size, size) { Threads = threads }, stages);
var seconds = clock.Elapsed.TotalSeconds;
if (!cache.WasBuilt)
{
    throw new InvalidOperationException($"the workspace '{workspace}' already held this cache; give a fresh one");
}

var images = cache.Count(SplitPart.Train) + cache.Count(SplitPart.Validation) + cache.Count(SplitPart.Test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"images_per_second\": {images / seconds:F1}, \"images\": {images}, \"seconds\": {seconds:F4}, \"scan_seconds\": {scanSeconds:F4}, \"threads\": {threads}, \"channels\": {cache.Channels}, \"stages\": \"{stages}\"}}"));
return 0;

string? Text(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int Number(string name, int fallback) =>
    Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

/// <summary>When each progress stage began, to see where a build spends its time.</summary>
internal sealed class StageLog(Stopwatch clock) : IProgress<DataProgress>
{
    private readonly System.Text.StringBuilder log = new();
    private string stage = string.Empty;

    public void Report(DataProgress value)
    {
        lock (log)
        {
            if (value.Stage != stage)
            {
                stage = value.Stage;
                log.Append(CultureInfo.InvariantCulture, $"{stage} at {clock.Elapsed.TotalSeconds:F3}s; ");
            }
        }
    }

    public override string ToString()
    {
        lock (log)
        {
            return log.ToString().TrimEnd(' ', ';');
        }
    }
}
