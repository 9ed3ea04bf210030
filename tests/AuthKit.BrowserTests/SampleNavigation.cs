using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// The navigation steps of the one-user, guidance, memory-cluster and store-down tests. Each waits for the server's answer
/// and then for an element of the new document, never for the page's <c>load</c> event (which a loaded 2-core machine can
/// delay for a minute), each with a generous but bounded timeout.
/// </summary>
internal static class SampleNavigation
{
    /// <summary>The sign-in POST runs PBKDF2 (600,000 iterations): slow on a loaded machine.</summary>
    private static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Opens <paramref name="path"/>, then waits for <paramref name="element"/> (a CSS selector) in the document it ends on.</summary>
    public static async Task<IResponse> OpenAsync(IPage page, string path, string element)
    {
        var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = Milliseconds(PageTimeout) })
            ?? throw new InvalidOperationException($"Opening {path} gave no response.");
        await WaitForAsync(page, element);
        return response;
    }

    /// <summary>Fills and sends the sign-in form of the current page; waits for the redirect to <c>/account</c> and for that page.</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", user + "-password");
        var posted = await SubmitAsync(page, "#sign-in-button", "/login", SignInTimeout);
        Assert.True(posted.Status == 302, $"The sign-in POST answered {posted.Status}, not a redirect to /account.");
        await WaitForAsync(page, "#account-user");
    }

    /// <summary>Clicks a form's button and returns the answer to its POST to <paramref name="action"/>; the new document is then on its way.</summary>
    public static Task<IResponse> SubmitAsync(IPage page, string button, string action, TimeSpan? timeout = null) =>
        page.RunAndWaitForResponseAsync(
            () => page.ClickAsync(button),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == action,
            new PageRunAndWaitForResponseOptions { Timeout = Milliseconds(timeout ?? PageTimeout) });

    /// <summary>Waits for <paramref name="element"/> (a CSS selector) to be in the page.</summary>
    public static Task WaitForAsync(IPage page, string element) =>
        page.WaitForSelectorAsync(element, new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = Milliseconds(PageTimeout) });

    private static float Milliseconds(TimeSpan timeout) => (float)timeout.TotalMilliseconds;
}
