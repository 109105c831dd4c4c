using Microsoft.Playwright;

namespace AutoNet.Dashboard.Tests;

/// <summary>
/// Debian's chromium driven by Playwright (its driver ships in the NuGet package; no browser is downloaded). ./test.sh
/// installs chromium; without it the browser tests fail and say so.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests write each page's screenshot, for a person to look at.</summary>
    public static string ScreenshotFolder { get; } = Path.Join(AutoNet.Cli.Tests.RepositoryPaths.Root, "artifacts", "dashboard-screenshots");

    public async Task InitializeAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"no chromium at {string.Join(", ", Candidates)}: install it with `apt-get install chromium` (./test.sh does)");
        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        // No sandbox: the suite runs as root in CI, where chromium refuses its sandbox.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
