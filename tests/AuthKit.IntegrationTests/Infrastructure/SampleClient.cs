using System.Net;
using System.Text.RegularExpressions;

namespace AuthKit.IntegrationTests;

/// <summary>A browser-like HTTP client of the sample: its own cookie jar, no automatic redirects, forms with antiforgery tokens.</summary>
public sealed partial class SampleClient : IDisposable
{
    private readonly HttpClient _http;

    public SampleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Loads <paramref name="formPage"/>, takes the antiforgery token of the form posting to <paramref name="action"/>, and posts it with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var page = await _http.GetAsync(formPage);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {formPage} answered {(int)page.StatusCode}: {html}");
        var token = FindAntiforgeryToken(html, action)
            ?? throw new InvalidOperationException($"No form posting to {action} with an antiforgery token on {formPage}:\n{html}");
        var content = new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]);
        return await _http.PostAsync(action, content);
    }

    /// <summary>Signs in through the login form; returns the final response of the POST (a redirect on success).</summary>
    public Task<HttpResponseMessage> SignInAsync(string user = "alice", string? password = null) =>
        PostFormAsync("/login", "/login", [new("username", user), new("password", password ?? user + "-password"), new("returnUrl", "/account")]);

    /// <summary>The <c>Cookie</c> header this client would send now (to replay it later from another client).</summary>
    public string CookieHeader => Cookies.GetCookieHeader(BaseAddress);

    /// <summary>The session cookie: the cookie whose name ends with <c>authkit</c> (<c>__Host-authkit</c>, or <c>authkit</c> on plain-HTTP loopback).</summary>
    public Cookie? SessionCookie => Cookies.GetCookies(BaseAddress).FirstOrDefault(c => c.Name.EndsWith("authkit", StringComparison.Ordinal));

    public void Dispose() => _http.Dispose();

    public static string? Instance(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-AuthKit-Instance", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Whether the response sends the visitor to the login page (the session was not recognised).</summary>
    public static bool IsLoginRedirect(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
        && response.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) == true;

    private static string? FindAntiforgeryToken(string html, string action)
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
}
