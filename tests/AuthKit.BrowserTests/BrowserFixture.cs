using AuthKit.IntegrationTests;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// Debian's chromium driven by Playwright (never a downloaded browser), plus the sample it browses. When chromium is not
/// installed nothing starts and every test reports itself skipped.
/// </summary>
public abstract class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Why the browser tests cannot run here, or <see langword="null"/> when they can.</summary>
    public static string? SkipReason => File.Exists(ChromiumPath)
        ? null
        : $"Chromium is not installed at {ChromiumPath} (on Debian: apt-get install chromium); the browser tests need it.";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    /// <summary>Where screenshots go: TestResults/screenshots beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(ScreenshotFolder);
        await StartSampleAsync();
        _playwright = await Playwright.CreateAsync();

        // A non-persistent launch runs on a fresh, temporary user-data directory that Playwright deletes afterwards.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A new browser context: its own cookie jar and history, like a separate device.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        PageTrace.Attach(context);
        return context;
    }

    /// <summary>What the sample wrote so far (for the cluster: the balancer's lines and every instance's, prefixed <c>[A]</c>…).</summary>
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

/// <summary>One WebApp process (file store, plain HTTP on loopback), as <c>dotnet run</c> starts it.</summary>
public sealed class WebAppBrowserFixture : BrowserFixture
{
    private WebAppProcess? _app;

    public Uri Url => _app?.Url ?? throw new InvalidOperationException("The sample did not start.");

    public override string SampleOutput => _app?.Output ?? "(not started)";

    protected override async Task StartSampleAsync() => _app = await WebAppProcess.StartAsync("file", instanceName: "local");

    protected override async ValueTask StopSampleAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The cluster sample on the file store: a balancer over three WebApp processes.</summary>
public sealed class ClusterBrowserFixture : BrowserFixture
{
    private ClusterProcess? _cluster;

    public ClusterProcess Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public override string SampleOutput => _cluster?.Output ?? "(not started)";

    protected override async Task StartSampleAsync() => _cluster = await ClusterProcess.StartAsync("file", logRequests: true);

    protected override async ValueTask StopSampleAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
