using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthKit.Soak;

/// <summary>
/// One person using the sample through the balancer, in a loop: sign in through the login form; read the account page and
/// add to the cart (session reads and writes); look at "your sessions"; get a token pair from the API, call it, refresh,
/// call it with the new token; then sign out, or (one journey in five) sign out everywhere.
/// </summary>
internal sealed partial class VirtualUser(string user, string password, Uri balancer, SoakRecorder recorder, TimeSpan thinkTime) : IDisposable
{
    private static readonly string[] Items = ["Coffee", "Tea", "Croissant", "Apple pie"];
    private readonly HttpClient _http = new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
    {
        BaseAddress = balancer,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task RunAsync(CancellationToken stop)
    {
        for (var journey = 0; !stop.IsCancellationRequested; journey++)
        {
            try
            {
                await JourneyAsync(journey, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task JourneyAsync(int journey, CancellationToken stop)
    {
        var login = await SendAsync("login-page", HttpMethod.Get, "/login", null, stop).ConfigureAwait(false);
        if (Token(login.Body, "/login") is not { } loginToken)
        {
            return;
        }

        var signIn = await SendAsync("sign-in", HttpMethod.Post, "/login", Form(loginToken, ("username", user), ("password", password), ("returnUrl", "/account")), stop).ConfigureAwait(false);
        if (signIn.Status != HttpStatusCode.Redirect)
        {
            return;
        }

        string? accountPage = null;
        for (var i = 0; i < 20 && !stop.IsCancellationRequested; i++)
        {
            var account = await SendAsync("page-read", HttpMethod.Get, "/account", null, stop).ConfigureAwait(false);
            if (account.IsLoginRedirect)
            {
                // Signed out by another device of the same user ("sign out everywhere"): start again.
                recorder.SignedOutElsewhere();
                return;
            }

            if (account.Status != HttpStatusCode.OK)
            {
                continue;
            }

            accountPage = account.Body;
            if (i % 3 == 2 && Token(account.Body, "/cart/add") is { } cartToken)
            {
                await SendAsync("session-write", HttpMethod.Post, "/cart/add", Form(cartToken, ("item", Items[(i / 3) % Items.Length])), stop).ConfigureAwait(false);
            }

            if (i % 10 == 9)
            {
                await SendAsync("sessions-page", HttpMethod.Get, "/sessions", null, stop).ConfigureAwait(false);
            }
        }

        await TokensAsync(stop).ConfigureAwait(false);

        if (journey % 5 == 4)
        {
            var sessions = await SendAsync("sessions-page", HttpMethod.Get, "/sessions", null, stop).ConfigureAwait(false);
            if (Token(sessions.Body, "/sessions/revoke-all") is { } everywhere)
            {
                await SendAsync("sign-out-everywhere", HttpMethod.Post, "/sessions/revoke-all", Form(everywhere), stop).ConfigureAwait(false);
            }
        }
        else if (accountPage is not null && Token(accountPage, "/logout") is { } logout)
        {
            await SendAsync("sign-out", HttpMethod.Post, "/logout", Form(logout), stop).ConfigureAwait(false);
        }
    }

    private async Task TokensAsync(CancellationToken stop)
    {
        var issue = await SendAsync("token-issue", HttpMethod.Post, "/api/token", JsonContent.Create(new { username = user, password }), stop).ConfigureAwait(false);
        if (issue.Status != HttpStatusCode.OK)
        {
            return;
        }

        using var tokens = JsonDocument.Parse(issue.Body);
        var access = tokens.RootElement.GetProperty("access_token").GetString()!;
        var refresh = tokens.RootElement.GetProperty("refresh_token").GetString()!;
        for (var i = 0; i < 3; i++)
        {
            await SendAsync("token-validate", HttpMethod.Get, "/api/orders", null, stop, access).ConfigureAwait(false);
        }

        var refreshed = await SendAsync("token-refresh", HttpMethod.Post, "/api/token/refresh", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refresh)]), stop).ConfigureAwait(false);
        if (refreshed.Status != HttpStatusCode.OK)
        {
            return;
        }

        using var rotated = JsonDocument.Parse(refreshed.Body);
        access = rotated.RootElement.GetProperty("access_token").GetString()!;
        for (var i = 0; i < 2; i++)
        {
            await SendAsync("token-validate", HttpMethod.Get, "/api/orders", null, stop, access).ConfigureAwait(false);
        }
    }

    private async Task<Answer> SendAsync(string kind, HttpMethod method, string path, HttpContent? content, CancellationToken stop, string? bearer = null)
    {
        if (thinkTime > TimeSpan.Zero)
        {
            await Task.Delay(thinkTime, stop).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, stop).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
            recorder.Record(kind, (int)response.StatusCode, started, Stopwatch.GetTimestamp(), Instance(response));
            var isLogin = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) == true;
            return new Answer(response.StatusCode, body, isLogin);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            // No answer at all (a reset, a timeout): what a user would see as a broken page.
            recorder.Record(kind, 0, started, Stopwatch.GetTimestamp(), null);
            return new Answer(0, "", false);
        }
    }

    private static string? Instance(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-AuthKit-Instance", out var values) ? values.FirstOrDefault() : null;

    private static FormUrlEncodedContent Form(string antiforgery, params (string Name, string Value)[] fields) =>
        new([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new("__RequestVerificationToken", antiforgery)]);

    /// <summary>The antiforgery token of the form on <paramref name="html"/> that posts to <paramref name="action"/>.</summary>
    private static string? Token(string html, string action)
    {
        foreach (Match form in FormRegex().Matches(html))
        {
            if (form.Groups["action"].Value == action && TokenRegex().Match(form.Value) is { Success: true } token)
            {
                return WebUtility.HtmlDecode(token.Groups[1].Value);
            }
        }

        return null;
    }

    [GeneratedRegex("""<form[^>]*action="(?<action>[^"]*)"[\s\S]*?</form>""")]
    private static partial Regex FormRegex();

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]*)""")]
    private static partial Regex TokenRegex();

    private readonly record struct Answer(HttpStatusCode Status, string Body, bool IsLoginRedirect);
}
