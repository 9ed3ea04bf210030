using AuthKit.IntegrationTests;

namespace AuthKit.BrowserTests;

/// <summary>The sample with its session store down: a sign-in answers 503 with a page that says so, not a blank screen.</summary>
public sealed class StoreDownBrowserTests(StoreDownBrowserFixture fixture) : IClassFixture<StoreDownBrowserFixture>
{
    [Fact]
    public async Task A_sign_in_while_the_store_is_down_shows_a_503_page_that_names_the_instance()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await SampleNavigation.OpenAsync(page, "/login", "#login-form");
        await page.FillAsync("#username", "alice");
        await page.FillAsync("#password", "alice-password");
        var response = await SampleNavigation.SubmitAsync(page, "#sign-in-button", "/login", TimeSpan.FromSeconds(120));
        Assert.Equal(503, response.Status);
        Assert.Equal("down", await response.HeaderValueAsync("x-authkit-instance"));
        await SampleNavigation.WaitForAsync(page, "#error");
        Assert.Contains("could not reach its session store", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
        Assert.Equal("down", await page.TextContentAsync("#error-instance"));
        await Screenshots.SaveAsync(page, "error-503");
    }
}

/// <summary>The WebApp on the Redis store, pointed at a loopback port where nothing listens.</summary>
public sealed class StoreDownBrowserFixture : SampleProcessBrowserFixture
{
    private WebAppProcess? _app;

    protected override Uri BaseUrl => _app?.Url ?? throw new InvalidOperationException("The sample did not start.");

    public override string SampleOutput => _app?.Output ?? "(not started)";

    protected override async Task StartSampleAsync() =>
        _app = await WebAppProcess.StartAsync("redis", instanceName: "down", extraArguments: ["--AuthKitSample:Redis=127.0.0.1:1,connectTimeout=500"]);

    protected override async ValueTask StopSampleAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
