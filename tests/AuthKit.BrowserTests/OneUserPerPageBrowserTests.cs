using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// One request, one identity: a browser signed in with the form that then answers <c>/admin</c>'s HTTP Basic prompt keeps
/// sending that Basic header on every page (the browser's own rule for a protection space). Basic applies to <c>/admin</c>
/// only, so every other page still shows the form's user — never both, never admin — and sign-out really signs out.
/// </summary>
public sealed class OneUserPerPageBrowserTests(WebAppBrowserFixture fixture) : IClassFixture<WebAppBrowserFixture>
{
    private const string Alice = "Alice Liddell";
    private const string Admin = "Ada Admin";

    [Fact]
    public async Task After_answering_the_admin_Basic_prompt_every_page_shows_one_user_and_sign_out_signs_out()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Url.ToString(),
            // Answered only when a page asks (401 + WWW-Authenticate: Basic), as a person answers the browser's prompt.
            HttpCredentials = new HttpCredentials { Username = "admin", Password = "admin-password" },
        });
        var page = await context.NewPageAsync();

        // 1. Sign in as alice with the form.
        await SampleNavigation.OpenAsync(page, "/login", "#login-form");
        await SampleNavigation.SignInAsync(page, "alice");
        await AssertShowsAsync(page, "/account", Alice);

        // 2. /admin: the browser answers the Basic prompt as admin. This page is admin's, and only admin's.
        var admin = await SampleNavigation.OpenAsync(page, "/admin", "#admin");
        Assert.Equal(200, admin.Status);
        Assert.Contains("as <code>admin</code>", await page.InnerHTMLAsync("#admin"), StringComparison.Ordinal);
        Assert.Equal(Admin, await page.TextContentAsync("#user-name"));
        Assert.Equal(0, await page.Locator("#sign-out").CountAsync());
        await Screenshots.SaveAsync(page, "one-user-admin");

        // 3. Alice's pages, with the browser now sending admin's Basic header on each of them: alice, never admin.
        var home = await SampleNavigation.OpenAsync(page, "/", "#status");
        Assert.Equal(200, home.Status);
        // The scenario really happens: the browser sends admin's Basic header on a page other than /admin.
        Assert.StartsWith("Basic ", await home.Request.HeaderValueAsync("authorization") ?? "(none)", StringComparison.Ordinal);
        await AssertShowsAsync(page, "/", Alice);
        Assert.Contains("signed in", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Contains("(<code>alice</code>)", await page.InnerHTMLAsync("#status"), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "one-user-home");

        await SampleNavigation.OpenAsync(page, "/account", "#account-user");
        await AssertShowsAsync(page, "/account", Alice);
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));
        Assert.Equal(1, await page.Locator("#session-created").CountAsync());

        await SampleNavigation.OpenAsync(page, "/sessions", "#sessions");
        await AssertShowsAsync(page, "/sessions", Alice);
        Assert.Equal(1, await page.Locator("#current-session").CountAsync());
        await Screenshots.SaveAsync(page, "one-user-sessions");

        // 4. Sign out: signed out everywhere the session counted, whatever Basic header follows.
        var signOut = await SampleNavigation.SubmitAsync(page, "#sign-out", "/logout");
        Assert.Equal(302, signOut.Status);
        await SampleNavigation.WaitForAsync(page, "#signed-out");
        Assert.Contains("not signed in", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        await AssertNobodyAsync(page, "/?signedout");
        await Screenshots.SaveAsync(page, "one-user-signed-out");

        await SampleNavigation.OpenAsync(page, "/", "#status");
        await AssertNobodyAsync(page, "/");
        foreach (var path in new[] { "/account", "/sessions" })
        {
            await SampleNavigation.OpenAsync(page, path, "#login-form");
            Assert.Contains("/login", page.Url, StringComparison.Ordinal);
            await AssertNobodyAsync(page, path);
        }

        // 5. /admin still works as admin, on its own.
        admin = await SampleNavigation.OpenAsync(page, "/admin", "#admin");
        Assert.Equal(200, admin.Status);
        Assert.Equal(Admin, await page.TextContentAsync("#user-name"));
        Assert.DoesNotContain(Alice, await page.TextContentAsync("header") ?? "", StringComparison.Ordinal);
    }

    /// <summary>The page shows exactly <paramref name="user"/> as the signed-in user, and the other demo identity nowhere.</summary>
    private static async Task AssertShowsAsync(IPage page, string path, string user)
    {
        Assert.True(await page.Locator("#user-name").CountAsync() == 1, $"{path}: no signed-in user shown.");
        Assert.Equal(user, await page.TextContentAsync("#user-name"));
        var text = await page.InnerTextAsync("body");
        var other = user == Alice ? Admin : Alice;
        Assert.False(text.Contains(other, StringComparison.Ordinal), $"{path} shows {user} and also {other}:\n{text}");
        Assert.False(text.Contains("HTTP Basic as", StringComparison.Ordinal), $"{path} counts the Basic header:\n{text}");
    }

    /// <summary>The page shows no signed-in user at all.</summary>
    private static async Task AssertNobodyAsync(IPage page, string path)
    {
        var text = await page.InnerTextAsync("body");
        Assert.True(await page.Locator("#user-name").CountAsync() == 0, $"{path} shows a signed-in user after sign-out:\n{text}");
        Assert.False(text.Contains("Signed in as", StringComparison.Ordinal), $"{path} says signed in after sign-out:\n{text}");
        Assert.False(text.Contains(Alice, StringComparison.Ordinal), $"{path} names alice after sign-out:\n{text}");
        Assert.False(text.Contains(Admin, StringComparison.Ordinal), $"{path} names admin outside /admin:\n{text}");
    }
}
