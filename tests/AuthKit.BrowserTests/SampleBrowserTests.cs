using AuthKit.IntegrationTests;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>The WebApp sample in a real browser: the sign-in form, the session cookie as the browser keeps it, the cart, sign-out and the back button.</summary>
public sealed class SampleBrowserTests(WebAppBrowserFixture fixture) : IClassFixture<WebAppBrowserFixture>
{
    [Fact]
    public async Task Signing_in_through_the_form_sets_an_HttpOnly_SameSite_session_cookie_that_page_script_cannot_read()
    {
        RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login");
        await Screenshots.SaveAsync(page, "login");
        await BrowserSteps.SignInAsync(page, fixture, "alice");
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));
        await Screenshots.SaveAsync(page, "account");

        var cookies = await context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name.EndsWith("authkit", StringComparison.Ordinal));

        // Plain HTTP on loopback is the documented development fallback: the unprefixed name and no Secure flag
        // (over HTTPS the cookie is __Host-authkit and Secure). Everything else stays strict.
        Assert.Equal("authkit", session.Name);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.False(session.Secure);
        Assert.Equal("/", session.Path);
        Assert.Equal(fixture.Url.Host, session.Domain);
        Assert.Equal(-1, session.Expires);

        // Script on the page sees no session cookie at all.
        var visibleToScript = await page.EvaluateAsync<string>("() => document.cookie");
        Assert.DoesNotContain("authkit=", visibleToScript, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Value, visibleToScript, StringComparison.Ordinal);

        await page.GotoAsync("/");
        Assert.Contains("signed in", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "home-signed-in", copyToDocsAs: "sample-home.png");
    }

    [Fact]
    public async Task The_cart_kept_in_the_session_survives_navigation()
    {
        RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserSteps.SignInAsync(page, fixture, "bob");

        await page.SelectOptionAsync("#cart-item", "Tea");
        await page.ClickAsync("#cart-add");
        await page.WaitForURLAsync("**/account");
        await page.SelectOptionAsync("#cart-item", "Apple pie");
        await page.ClickAsync("#cart-add");
        await page.WaitForURLAsync("**/account");

        await page.GotoAsync("/");
        await page.ClickAsync("text=Your sessions");
        await page.WaitForURLAsync("**/sessions");
        await page.ClickAsync("header >> text=Account");
        await page.WaitForURLAsync("**/account");

        Assert.Equal(["Tea", "Apple pie"], await page.Locator("#cart-items li").AllTextContentsAsync());
        await Screenshots.SaveAsync(page, "account-with-cart");

        await page.ClickAsync("#cart-clear");
        await page.WaitForURLAsync("**/account");
        Assert.Equal(1, await page.Locator("#cart-empty").CountAsync());
    }

    [Fact]
    public async Task After_sign_out_the_back_button_does_not_show_the_account_page()
    {
        RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserSteps.SignInAsync(page, fixture, "alice");
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/?signedout");
        Assert.Equal(1, await page.Locator("#signed-out").CountAsync());
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.EndsWith("authkit", StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, "signed-out");

        // Back: the account page was sent with Cache-Control: no-store, so the browser asks again and is sent to sign in.
        await page.GoBackAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#account-user").CountAsync());
        Assert.DoesNotContain("Alice Liddell", await page.ContentAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "back-after-sign-out");
    }

    [Fact]
    public async Task Sign_out_everywhere_from_one_browser_signs_out_the_other()
    {
        RequireChromium();
        await using var laptop = await NewContextAsync();
        await using var phone = await NewContextAsync();
        var laptopPage = await laptop.NewPageAsync();
        var phonePage = await phone.NewPageAsync();
        await laptopPage.GotoAsync("/login");
        await BrowserSteps.SignInAsync(laptopPage, fixture, "admin");
        await phonePage.GotoAsync("/login");
        await BrowserSteps.SignInAsync(phonePage, fixture, "admin");

        await phonePage.GotoAsync("/sessions");
        Assert.True(await phonePage.Locator("#sessions tbody tr").CountAsync() >= 2);
        await Screenshots.SaveAsync(phonePage, "sessions");
        await phonePage.ClickAsync("#sign-out-everywhere");
        await phonePage.WaitForURLAsync("**/?signedout=everywhere");

        await laptopPage.GotoAsync("/account");
        Assert.Contains("/login", laptopPage.Url, StringComparison.Ordinal);
        Assert.Equal(1, await laptopPage.Locator("#login-form").CountAsync());
    }

    [Fact]
    public async Task The_admin_area_takes_the_browsers_HTTP_Basic_credentials()
    {
        RequireChromium();
        await using var context = await NewContextAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = "admin", Password = "admin-password" } });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/admin");
        Assert.Equal(200, response?.Status);
        Assert.Contains("HTTP Basic", await page.TextContentAsync("#admin"), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "admin");
    }

    private Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = fixture.Url.ToString();
        return fixture.NewContextAsync(options);
    }

    internal static void RequireChromium()
    {
        if (BrowserFixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }
}
