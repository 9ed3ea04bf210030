using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Samples;

/// <summary>
/// A small page, instead of a blank white screen, for the answers that have no body of their own: 400 (an antiforgery check
/// that failed), 401, 403, 404, 429, 503, and 500 for an unexpected exception outside Development. Each names the instance
/// that answered (the <c>X-AuthKit-Instance</c> header). Only for browsers: API clients (no <c>text/html</c> in
/// <c>Accept</c>) keep the bare status and its headers.
/// </summary>
internal static class ErrorPages
{
    public static IApplicationBuilder UseSampleErrorPages(this IApplicationBuilder app)
    {
        // An unexpected exception: the same page with a 500 (Development keeps the framework's exception page, with the details).
        if (!app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteAsync });
        }

        return app.UseStatusCodePages(status => WriteAsync(status.HttpContext));
    }

    private static Task WriteAsync(HttpContext context)
    {
        if (!context.Request.Headers[HeaderNames.Accept].ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        var response = context.Response;
        var sample = context.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value;
        var (title, explanation) = Explain(context, sample);
        var body = $"""
            <div class="card error" id="error">
              <p id="error-status"><b>{response.StatusCode}</b> · {Html.E(title)}</p>
              <p>{explanation}</p>
              <p>Answered by instance <code id="error-instance">{Html.E(sample.InstanceName)}</code>
              (the <code>X-AuthKit-Instance</code> header). <a href="/">Home</a></p>
            </div>
            """;
        // Keeps the status and the headers already set (WWW-Authenticate, Retry-After), adds the page.
        return Html.Page(context, title, body, response.StatusCode).ExecuteAsync(context);
    }

    private static (string Title, string Explanation) Explain(HttpContext context, SampleOptions sample)
    {
        var response = context.Response;
        switch (response.StatusCode)
        {
            case StatusCodes.Status400BadRequest when context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }:
                return ("The form could not be accepted",
                    "Its antiforgery token is missing, expired, or was issued to another browser or another signed-in user. "
                    + "Go back, reload the page, and send the form again.");
            case StatusCodes.Status400BadRequest:
                return ("Bad request", "The request was not understood.");
            case StatusCodes.Status401Unauthorized when response.Headers.WWWAuthenticate.ToString().StartsWith("Basic", StringComparison.OrdinalIgnoreCase):
                return ("HTTP Basic sign-in needed",
                    "This page takes HTTP Basic: your browser asks for a user name and password itself (the demo admin is "
                    + "<code>admin</code> / <code>admin-password</code>). The sign-in form's session does not count here.");
            case StatusCodes.Status401Unauthorized when response.Headers.WWWAuthenticate.ToString().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase):
                return ("Bearer token needed",
                    "This API takes a JWT in <code>Authorization: Bearer</code>: get one with <code>POST /api/token</code> "
                    + "(see docs/samples.md). The browser's session cookie does not count here.");
            case StatusCodes.Status401Unauthorized:
                return ("Sign-in needed", """You are not signed in. <a href="/login">Sign in</a>.""");
            case StatusCodes.Status403Forbidden:
                return ("Not allowed",
                    $"You are signed in as <code>{Html.E(context.User.Identity?.Name)}</code>, who may not see this page (it needs the admin role).");
            case StatusCodes.Status404NotFound:
                return ("Not found", "There is no such page.");
            case StatusCodes.Status429TooManyRequests:
                var retryAfter = response.Headers.RetryAfter.ToString();
                return ("Too many attempts",
                    "Too many failed sign-ins; wait" + (retryAfter.Length > 0 ? $" {Html.E(retryAfter)} seconds" : " a little") + " and try again.");
            case StatusCodes.Status503ServiceUnavailable:
                return ("Session store unavailable",
                    $"This instance could not reach its session store (<b>{Html.E(sample.Store)}</b>) in time. Your session is not lost: "
                    + "try again in a moment. The instance's log names the cause.");
            case StatusCodes.Status500InternalServerError:
                return ("Something went wrong", "The server failed while answering this request; the instance's log has the details.");
            default:
                return ("Error", "The request could not be served.");
        }
    }
}
