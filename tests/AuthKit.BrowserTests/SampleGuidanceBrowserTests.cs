using System.Text.RegularExpressions;
using AuthKit.IntegrationTests;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>What a newcomer sees in the sample where a blank page or a silent redirect used to be.</summary>
public sealed class SampleGuidanceBrowserTests(WebAppBrowserFixture fixture) : IClassFixture<WebAppBrowserFixture>
{
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string ChromeOnAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    [Fact]
    public async Task The_sign_in_page_lists_the_demo_users()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SampleNavigation.OpenAsync(page, "/login", "#login-hint");
        var hint = await page.InnerTextAsync("#login-hint");
        Assert.Contains("alice / alice-password", hint, StringComparison.Ordinal);
        Assert.Contains("bob / bob-password", hint, StringComparison.Ordinal);
        Assert.Contains("admin / admin-password", hint, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "login-hint");
    }

    [Fact]
    public async Task A_refused_Basic_prompt_shows_a_page_that_names_the_instance_not_a_blank_one()
    {
        SampleBrowserTests.RequireChromium();
        // A wrong password typed into the browser's prompt: the browser then shows the 401 response's own page.
        await using var context = await NewContextAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = "admin", Password = "wrong-password" } });
        var page = await context.NewPageAsync();
        var response = await SampleNavigation.OpenAsync(page, "/admin", "#error");
        Assert.Equal(401, response.Status);
        Assert.StartsWith("Basic", await response.HeaderValueAsync("www-authenticate") ?? "", StringComparison.Ordinal);
        Assert.Contains("HTTP Basic", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
        Assert.Equal(await response.HeaderValueAsync("x-authkit-instance"), await page.TextContentAsync("#error-instance"));
        Assert.Equal("local", await page.TextContentAsync("#error-instance"));
        await Screenshots.SaveAsync(page, "error-401");
    }

    [Fact]
    public async Task A_customer_on_the_admin_page_gets_a_403_page_that_names_the_instance()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await NewContextAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = "alice", Password = "alice-password" } });
        var page = await context.NewPageAsync();
        var response = await SampleNavigation.OpenAsync(page, "/admin", "#error");
        Assert.Equal(403, response.Status);
        Assert.Contains("alice", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
        Assert.Equal("local", await page.TextContentAsync("#error-instance"));
    }

    [Fact]
    public async Task A_failed_antiforgery_check_shows_a_page_that_says_so()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SampleNavigation.OpenAsync(page, "/login", "#login-form");
        await page.FillAsync("#username", "alice");
        await page.FillAsync("#password", "alice-password");

        // The antiforgery cookie is gone (another tab signed out, the browser dropped it): the form's token no longer matches.
        await context.ClearCookiesAsync();
        var response = await SampleNavigation.SubmitAsync(page, "#sign-in-button", "/login");
        Assert.Equal(400, response.Status);
        await SampleNavigation.WaitForAsync(page, "#error");
        Assert.Contains("antiforgery", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
        Assert.Equal("local", await page.TextContentAsync("#error-instance"));
        await Screenshots.SaveAsync(page, "error-antiforgery");
    }

    [Fact]
    public async Task The_sessions_page_shows_each_sessions_device_sign_in_time_and_last_seen()
    {
        SampleBrowserTests.RequireChromium();
        await using var laptop = await NewContextAsync(new BrowserNewContextOptions { UserAgent = FirefoxOnWindows });
        await using var phone = await NewContextAsync(new BrowserNewContextOptions { UserAgent = ChromeOnAndroid });
        var laptopPage = await laptop.NewPageAsync();
        await SampleNavigation.OpenAsync(laptopPage, "/login", "#login-form");
        await SampleNavigation.SignInAsync(laptopPage, "bob");
        var phonePage = await phone.NewPageAsync();
        await SampleNavigation.OpenAsync(phonePage, "/login", "#login-form");
        await SampleNavigation.SignInAsync(phonePage, "bob");

        await SampleNavigation.OpenAsync(phonePage, "/sessions", "#current-session");
        // "Chrome on Android", or with the major version ("Chrome 126 on Android").
        Assert.Matches(@"^Chrome( \d+)? on Android \(this browser\)$", await phonePage.TextContentAsync("#current-session .device"));
        Assert.Contains(await phonePage.Locator("#sessions tbody .device").AllTextContentsAsync(), d => Regex.IsMatch(d, @"^Firefox( \d+)? on Windows$"));
        foreach (var cell in await phonePage.Locator("#sessions tbody .signed-in, #sessions tbody .last-seen").AllTextContentsAsync())
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", cell);
        }

        await Screenshots.SaveAsync(phonePage, "sessions-devices");
    }

    [Fact]
    public async Task A_session_the_instance_does_not_know_is_explained_on_the_sign_in_page()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await SampleNavigation.OpenAsync(page, "/login", "#login-form");
        await SampleNavigation.SignInAsync(page, "alice");
        var session = Assert.Single(await context.CookiesAsync(), c => c.Name.EndsWith("authkit", StringComparison.Ordinal));

        // Signed out; then the old cookie comes back (a copy, another tab's stale jar): the store no longer has that session.
        await SampleNavigation.SubmitAsync(page, "#sign-out", "/logout");
        await SampleNavigation.WaitForAsync(page, "#signed-out");
        await context.AddCookiesAsync([new Cookie { Name = session.Name, Value = session.Value, Domain = session.Domain, Path = session.Path, HttpOnly = true, SameSite = SameSiteAttribute.Lax }]);
        await SampleNavigation.OpenAsync(page, "/account", "#login-form");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        var notice = await page.InnerTextAsync("#unknown-session");
        Assert.Contains("instance local does not know that session", notice, StringComparison.Ordinal);
        Assert.Contains("The session has ended", notice, StringComparison.Ordinal);
    }

    private Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = fixture.Url.ToString();
        return fixture.NewContextAsync(options);
    }
}
