using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AuthKit.Basic;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Samples;

/// <summary>The sample's whole view engine: a layout, HTML encoding, and the antiforgery field of forms.</summary>
internal static class Html
{
    private const string Css = """
        :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f6fa; }
        body { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
        header { display: flex; align-items: center; gap: .8rem; font-size: .95rem; flex-wrap: wrap; border-bottom: 1px solid #d5dae3; padding-bottom: .6rem; }
        header .brand { font-weight: 700; font-size: 1.15rem; margin-right: auto; color: #3047a8; text-decoration: none; }
        header a, header button.link { color: #3047a8; }
        .instance { margin: .7rem 0 1.2rem; padding: .35rem .7rem; border-radius: .4rem; background: #e3e9ff; display: inline-block; font-size: .9rem; }
        .card { background: #fff; border: 1px solid #d5dae3; border-radius: .6rem; padding: 1rem 1.2rem; margin: 1rem 0; }
        .notice { background: #fff8e1; border-color: #f0d68a; }
        .error { background: #fdecea; border-color: #f1a7a0; }
        label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
        input[type=text], input[type=password], select { padding: .45rem; width: 100%; max-width: 20rem; border: 1px solid #aab3c5; border-radius: .3rem; }
        button { padding: .4rem .9rem; border: 0; border-radius: .3rem; background: #3047a8; color: #fff; cursor: pointer; }
        button.danger { background: #b3261e; }
        button.link { background: none; padding: 0; text-decoration: underline; font: inherit; }
        form.inline { display: inline; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .35rem .4rem; border-bottom: 1px solid #e3e6ee; }
        code { background: #eef1f7; padding: 0 .25rem; border-radius: .2rem; }
        """;

    /// <summary>HTML-encodes text for element content and attribute values.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>The hidden antiforgery field for a form (and the matching cookie, set on the response).</summary>
    public static string Antiforgery(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"""<input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">""";
    }

    /// <summary>A whole page in the layout; never cached (pages show who is signed in).</summary>
    public static IResult Page(HttpContext context, string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var sample = context.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value;
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · AuthKit sample</title>
            <style>{Css}</style>
            </head>
            <body>
            <header>
              <a class="brand" href="/">AuthKit sample</a>
              <a href="/account">Account</a>
              <a href="/sessions">Your sessions</a>
              <a href="/admin">Admin</a>
            """);
        if (signedIn && user.Identity!.AuthenticationType == BasicAuthenticationDefaults.AuthenticationScheme)
        {
            // HTTP Basic has no sign-out: the browser sends the password until it is closed. It counts on this page only.
            html.Append($"""
                  <span>Signed in with HTTP Basic as <b id="user-name">{E(DisplayName(user))}</b> (on this page only)</span>
                """);
        }
        else if (signedIn)
        {
            html.Append($"""
                  <span>Signed in as <b id="user-name">{E(DisplayName(user))}</b></span>
                  <form class="inline" method="post" action="/logout">{Antiforgery(context)}<button class="link" id="sign-out">Sign out</button></form>
                """);
        }
        else
        {
            html.Append("""  <a href="/login" id="sign-in">Sign in</a>""");
        }

        html.Append($"""
            </header>
            <p class="instance" id="instance">Served by instance <b>{E(sample.InstanceName)}</b> · session store: <b>{E(sample.Store)}</b></p>
            <h1>{E(title)}</h1>
            {body}
            </body>
            </html>
            """);

        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string DisplayName(ClaimsPrincipal user) => user.FindFirst("display_name")?.Value ?? user.Identity?.Name ?? "?";

    public static string Time(DateTimeOffset value) => E(value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
}
