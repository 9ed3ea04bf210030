using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// Debian's chromium (as <see cref="BrowserFixture"/> launches it) for a sample the test starts in a configuration of its
/// own — a memory-store cluster, a store that is down. When chromium is not installed nothing starts.
/// </summary>
public abstract class SampleProcessBrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (BrowserFixture.SkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await StartSampleAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A new browser context (its own cookie jar) on the sample's address.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser did not start.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl.ToString() });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    /// <summary>Where the browser goes: the WebApp, or the cluster's balancer.</summary>
    protected abstract Uri BaseUrl { get; }

    /// <summary>What the sample printed so far, for failure messages.</summary>
    public abstract string SampleOutput { get; }

    protected abstract Task StartSampleAsync();

    protected abstract ValueTask StopSampleAsync();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await StopSampleAsync();
        GC.SuppressFinalize(this);
    }
}
