using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// Browser steps that wait for exactly what a test needs — the server's answer, the new document, one element of it — and
/// never for the page's <c>load</c> event, each with a generous but bounded timeout; a step that fails says what the
/// browser saw, which instance answered each request, and what the sample logged.
/// </summary>
/// <remarks>
/// Waiting for <c>load</c> (what <c>WaitForURLAsync</c>, <c>GotoAsync</c> and <c>GoBackAsync</c> do by default) made these
/// tests flaky on a loaded 2-core machine: after a form post the new document was committed and the network idle, yet
/// the browser reported neither <c>DOMContentLoaded</c> nor <c>load</c> within 60 s.
/// </remarks>
internal static class BrowserSteps
{
    /// <summary>The sign-in POST runs PBKDF2 (600,000 iterations): slow on a loaded 2-core machine, so allow plenty.</summary>
    public static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Any other answer of the sample, and the new document's element after it.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fills and submits the sign-in form of the current page; waits for the POST's answer (a redirect to <c>/account</c>),
    /// then for the <c>/account</c> document (200) and its <c>#account-user</c> element.
    /// </summary>
    public static Task SignInAsync(IPage page, BrowserFixture fixture, string user) => StepAsync(page, fixture, $"signing in as {user}", async () =>
    {
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", user + "-password");

        // Every wait starts before the click, so no answer can slip past it.
        var signIn = page.WaitForResponseAsync(
            r => r.Request.Method == "POST" && PathOf(r.Url) == "/login",
            new PageWaitForResponseOptions { Timeout = Milliseconds(SignInTimeout) });
        var arrival = ArrivalAsync(page, "/account", SignInTimeout + PageTimeout);
        await page.ClickAsync("#sign-in-button");

        var posted = await signIn;
        var location = await posted.HeaderValueAsync("location");
        if (posted.Status != 302 || location is null || PathOf(location) != "/account")
        {
            throw new BrowserStepException($"The sign-in POST answered {posted.Status} (Location: {location ?? "none"}), not a redirect to /account.");
        }

        await arrival.WaitAsync(200, "#account-user");
    });

    /// <summary>
    /// Clicks <paramref name="selector"/> (a link or a form's button) and waits for the main frame to arrive at
    /// <paramref name="path"/> (answered 200, through redirects) and for <paramref name="element"/> in the new document.
    /// </summary>
    public static Task ClickAsync(IPage page, BrowserFixture fixture, string selector, string path, string element) =>
        StepAsync(page, fixture, $"clicking {selector} to reach {path}", async () =>
        {
            var arrival = ArrivalAsync(page, path, PageTimeout);
            await page.ClickAsync(selector);
            await arrival.WaitAsync(200, element);
        });

    /// <summary>Opens <paramref name="path"/> and waits for its answer and for <paramref name="element"/>; returns the final response.</summary>
    public static async Task<IResponse> OpenAsync(IPage page, BrowserFixture fixture, string path, string element, int status = 200)
    {
        IResponse? response = null;
        await StepAsync(page, fixture, $"opening {path}", async () =>
        {
            // Commit: the answer is in and the new document replaced the old one; the element is what the test needs.
            response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = Milliseconds(PageTimeout) })
                ?? throw new BrowserStepException($"Opening {path} gave no response.");
            Assert.Equal(status, response.Status);
            await WaitForElementAsync(page, element);
        });
        return response!;
    }

    /// <summary>The browser's back button; waits for the previous entry's document to be committed and for <paramref name="element"/> in it.</summary>
    public static Task GoBackAsync(IPage page, BrowserFixture fixture, string element) => StepAsync(page, fixture, "going back", async () =>
    {
        await page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit, Timeout = Milliseconds(PageTimeout) });
        await WaitForElementAsync(page, element);
    });

    /// <summary>
    /// Runs <paramref name="step"/>; if it fails (a timeout, a Playwright error, a failed assertion), fails with the page's
    /// URL and text, every request and response of the context (with the instance that answered) and the sample's log.
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

    /// <summary>The path of an absolute or relative URL (no query).</summary>
    public static string PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath
        : Uri.TryCreate(new Uri("http://relative"), url, out var relative) ? relative.AbsolutePath
        : url;

    /// <summary>
    /// Starts watching for the main frame's arrival at <paramref name="path"/>: the document's GET answer and the commit of
    /// the new document (so an element is looked for in it, not in the page being left — which may have the same path).
    /// </summary>
    private static Arrival ArrivalAsync(IPage page, string path, TimeSpan timeout)
    {
        var document = page.WaitForResponseAsync(
            r => r.Request.Method == "GET" && r.Request.IsNavigationRequest && r.Frame == page.MainFrame && PathOf(r.Url) == path,
            new PageWaitForResponseOptions { Timeout = Milliseconds(timeout) });
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame && PathOf(frame.Url) == path)
            {
                committed.TrySetResult();
            }
        }

        page.FrameNavigated += OnNavigated;
        return new Arrival(page, path, document, committed.Task, timeout, () => page.FrameNavigated -= OnNavigated);
    }

    private static Task WaitForElementAsync(IPage page, string element) =>
        page.Locator(element).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = Milliseconds(PageTimeout) });

    private static float Milliseconds(TimeSpan timeout) => (float)timeout.TotalMilliseconds;

    private sealed class Arrival(IPage page, string path, Task<IResponse> document, Task committed, TimeSpan timeout, Action stopWatching)
    {
        public async Task WaitAsync(int status, string element)
        {
            try
            {
                var response = await document;
                if (response.Status != status)
                {
                    throw new BrowserStepException($"GET {path} answered {response.Status}, not {status}.");
                }

                try
                {
                    await committed.WaitAsync(timeout);
                }
                catch (TimeoutException ex)
                {
                    throw new BrowserStepException($"GET {path} answered {response.Status}, but the browser did not show the new document within {timeout.TotalSeconds:0} s.", ex);
                }

                await WaitForElementAsync(page, element);
            }
            finally
            {
                stopWatching();
            }
        }
    }
}
