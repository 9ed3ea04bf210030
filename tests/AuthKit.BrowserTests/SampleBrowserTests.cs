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

        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");
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

        await BrowserSteps.OpenAsync(page, fixture, "/", "#status");
        Assert.Contains("signed in", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "home-signed-in", copyToDocsAs: "sample-home.png");
    }

    [Fact]
    public async Task The_cart_kept_in_the_session_survives_navigation()
    {
        RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(page, fixture, "bob");

        await page.SelectOptionAsync("#cart-item", "Tea");
        await BrowserSteps.ClickAsync(page, fixture, "#cart-add", "/account", "#cart-items");
        await page.SelectOptionAsync("#cart-item", "Apple pie");
        await BrowserSteps.ClickAsync(page, fixture, "#cart-add", "/account", "#cart-items");

        await BrowserSteps.OpenAsync(page, fixture, "/", "#status");
        await BrowserSteps.ClickAsync(page, fixture, "text=Your sessions", "/sessions", "#sessions");
        await BrowserSteps.ClickAsync(page, fixture, "header >> text=Account", "/account", "#cart");

        Assert.Equal(["Tea", "Apple pie"], await page.Locator("#cart-items li").AllTextContentsAsync());
        await Screenshots.SaveAsync(page, "account-with-cart");

        await BrowserSteps.ClickAsync(page, fixture, "#cart-clear", "/account", "#cart-empty");
    }

    [Fact]
    public async Task After_sign_out_the_back_button_does_not_show_the_account_page()
    {
        RequireChromium();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(page, fixture, "alice");
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));

        await BrowserSteps.ClickAsync(page, fixture, "#sign-out", "/", "#signed-out");
        Assert.EndsWith("/?signedout", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.EndsWith("authkit", StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, "signed-out");

        // Back: the account page was sent with Cache-Control: no-store, so the browser asks again and is sent to sign in.
        await BrowserSteps.GoBackAsync(page, fixture, "#login-form");
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
        await BrowserSteps.OpenAsync(laptopPage, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(laptopPage, fixture, "admin");
        await BrowserSteps.OpenAsync(phonePage, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(phonePage, fixture, "admin");

        await BrowserSteps.OpenAsync(phonePage, fixture, "/sessions", "#sessions");
        Assert.True(await phonePage.Locator("#sessions tbody tr").CountAsync() >= 2);
        await Screenshots.SaveAsync(phonePage, "sessions");
        await BrowserSteps.ClickAsync(phonePage, fixture, "#sign-out-everywhere", "/", "#signed-out");
        Assert.EndsWith("/?signedout=everywhere", phonePage.Url, StringComparison.Ordinal);

        // Redirected to sign in: the answer the test reads is the login page's.
        await BrowserSteps.OpenAsync(laptopPage, fixture, "/account", "#login-form");
        Assert.Contains("/login", laptopPage.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_area_takes_the_browsers_HTTP_Basic_credentials()
    {
        RequireChromium();
        await using var context = await NewContextAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = "admin", Password = "admin-password" } });
        var page = await context.NewPageAsync();
        var response = await BrowserSteps.OpenAsync(page, fixture, "/admin", "#admin");
        Assert.Equal(200, response.Status);
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
