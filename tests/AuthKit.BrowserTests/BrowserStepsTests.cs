using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// The browser steps themselves: they wait for the answers and the element a test needs, so a page whose <c>load</c>
/// event is late (a starved renderer, a hung sub-resource) no longer times a test out.
/// </summary>
public sealed class BrowserStepsTests(StubSiteBrowserFixture fixture) : IClassFixture<StubSiteBrowserFixture>
{
    [Fact]
    public async Task Signing_in_does_not_wait_for_the_account_pages_load_event()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Url.ToString() });
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");

        await BrowserSteps.SignInAsync(page, fixture, "alice");

        Assert.Equal("/account", BrowserSteps.PathOf(page.Url));
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));
        // The image that never arrives holds the load event back: the step did not need it.
        Assert.NotEqual("complete", await page.EvaluateAsync<string>("() => document.readyState"));
    }

    [Fact]
    public async Task A_step_that_fails_reports_the_page_every_answer_and_the_sites_log()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Url.ToString() });
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");

        var failure = await Assert.ThrowsAsync<BrowserStepException>(() => BrowserSteps.SignInAsync(page, fixture, "mallory"));

        Assert.Contains("The sign-in POST answered 400", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Page URL: {fixture.Url}login", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Page text:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("← 200 GET /login from instance stub", failure.Message, StringComparison.Ordinal);
        Assert.Contains("← 400 POST /login from instance stub", failure.Message, StringComparison.Ordinal);
        Assert.Contains(StubSiteBrowserFixture.LogLine, failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// A stand-in for the sample, in-process on loopback: a sign-in form (alice only) and an account page with an image that
/// never arrives, so that page's <c>load</c> event never fires.
/// </summary>
public sealed class StubSiteBrowserFixture : BrowserFixture
{
    public const string LogLine = "stub site: a log line for failure reports";

    private const string LoginPage = """
        <!doctype html><title>Sign in</title>
        <form method="post" action="/login" id="login-form">
          <input id="username" name="username"><input id="password" name="password" type="password">
          <button id="sign-in-button" type="submit">Sign in</button>
        </form>
        """;

    private const string AccountPage = """
        <!doctype html><title>Account</title>
        <p>User name: <code id="account-user">alice</code></p>
        <img src="/never-answered.png" alt="">
        """;

    private WebApplication? _app;

    public Uri Url => new(_app?.Urls.First() ?? throw new InvalidOperationException("The stub site did not start."));

    public override string SampleOutput => LogLine;

    protected override async Task StartSampleAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            context.Response.Headers["X-AuthKit-Instance"] = "stub";
            return next(context);
        });
        _app.MapGet("/login", () => Results.Content(LoginPage, "text/html"));
        _app.MapPost("/login", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return form["username"] == "alice" && form["password"] == "alice-password"
                ? Results.Redirect("/account")
                : Results.Content(LoginPage.Replace("<form", "<p id=\"login-error\">Wrong user name or password.</p><form", StringComparison.Ordinal), "text/html", statusCode: 400);
        });
        _app.MapGet("/account", () => Results.Content(AccountPage, "text/html"));
        _app.MapGet("/never-answered.png", async (HttpContext context, IHostApplicationLifetime lifetime) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await _app.StartAsync();
    }

    protected override async ValueTask StopSampleAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
