using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>
/// What a browser context did, request by request (method, path, status, the instance named by <c>X-AuthKit-Instance</c>,
/// redirects, failed requests, main-frame navigations), so a failing browser test says what the browser saw.
/// </summary>
internal sealed class PageTrace
{
    private const int MaxEntries = 400;
    private static readonly ConditionalWeakTable<IBrowserContext, PageTrace> s_traces = [];

    private readonly ConcurrentQueue<string> _entries = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private PageTrace()
    {
    }

    /// <summary>Starts recording what <paramref name="context"/> requests and receives.</summary>
    public static void Attach(IBrowserContext context)
    {
        var trace = new PageTrace();
        s_traces.AddOrUpdate(context, trace);
        context.Request += (_, request) =>
        {
            if (request.IsNavigationRequest)
            {
                trace.Add($"→ {request.Method} {PathOf(request.Url)}{(request.RedirectedFrom is { } from ? $" (redirected from {PathOf(from.Url)})" : "")}");
            }
        };
        context.Response += (_, response) =>
        {
            var instance = response.Headers.TryGetValue("x-authkit-instance", out var name) ? name : "?";
            var location = response.Headers.TryGetValue("location", out var target) ? $" → Location {target}" : "";
            trace.Add($"← {response.Status} {response.Request.Method} {PathOf(response.Url)} from instance {instance}{location}");
        };
        context.RequestFailed += (_, request) => trace.Add($"✗ {request.Method} {PathOf(request.Url)} failed: {request.Failure}");
        context.Page += (_, page) => Watch(trace, page);
    }

    /// <summary>The trace of the context <paramref name="page"/> belongs to (empty when none was attached).</summary>
    public static PageTrace Of(IPage page) => s_traces.TryGetValue(page.Context, out var trace) ? trace : new PageTrace();

    /// <summary>
    /// A report of the page's state (URL, title, visible text) and of everything the context did, plus the end of the
    /// sample's own log, for a failure message. Never throws and never waits long: the page may be mid-navigation or hung.
    /// </summary>
    public static async Task<string> DescribeAsync(IPage page, string sampleOutput)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Page URL: {page.Url}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Title: {await TryAsync(page.TitleAsync())}");
        var body = await TryAsync(page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 }));
        text.AppendLine("Page text:");
        text.AppendLine(Indent(Truncate(body, 3_000)));
        text.AppendLine("What the browser did (ms since the context opened):");
        text.AppendLine(Indent(string.Join('\n', Of(page)._entries)));
        text.AppendLine("The sample's output (last 150 lines):");
        text.AppendLine(Indent(string.Join('\n', sampleOutput.Split('\n').TakeLast(150))));
        return text.ToString();
    }

    private static void Watch(PageTrace trace, IPage page)
    {
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                trace.Add($"  main frame now at {PathOf(frame.Url)}");
            }
        };
        page.DOMContentLoaded += (_, _) => trace.Add("  DOMContentLoaded event");
        page.Load += (_, _) => trace.Add("  load event");
        page.Crash += (_, _) => trace.Add("  the page crashed");
    }

    private void Add(string entry)
    {
        if (_entries.Count < MaxEntries)
        {
            _entries.Enqueue($"{_clock.ElapsedMilliseconds,7} {entry}");
        }
    }

    private static string PathOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;

    private static async Task<string> TryAsync(Task<string> task)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return $"(unavailable: {ex.Message.Split('\n')[0]})";
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + " …";

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ", StringComparison.Ordinal);
}
