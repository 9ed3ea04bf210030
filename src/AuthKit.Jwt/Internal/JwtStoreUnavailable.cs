using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// Marks a request whose bearer token could not be checked because the store failed, and answers it with 503 Service Unavailable,
/// like the session scheme: from the challenge, and from <c>UseAuthKit()</c> right after authentication (so an endpoint that allows
/// anonymous users does not run as anonymous for a user whose token simply could not be checked).
/// </summary>
internal sealed class JwtStoreUnavailable
{
    /// <summary>Seconds a client should wait before retrying (<c>Retry-After</c>).</summary>
    public const string RetryAfterSeconds = "5";

    private static readonly JwtStoreUnavailable s_instance = new();

    public static void Mark(HttpContext context) => context.Features.Set(s_instance);

    public static bool IsMarked(HttpContext context) => context.Features.Get<JwtStoreUnavailable>() is not null;

    public static void Write(HttpResponse response)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.CacheControl = "no-store";
        response.Headers.RetryAfter = RetryAfterSeconds;
    }
}

/// <summary>Adds <see cref="JwtStoreUnavailableMiddleware"/> to <c>UseAuthKit()</c> after authentication.</summary>
internal sealed class JwtPipelineContributor : IAuthKitPipelineContributor
{
    public AuthKitPipelineStage Stage => AuthKitPipelineStage.AfterAuthentication;

    public void Configure(IApplicationBuilder app) => app.UseMiddleware<JwtStoreUnavailableMiddleware>();
}

/// <summary>Answers 503 when the bearer scheme could not reach the store for this request's token.</summary>
internal sealed class JwtStoreUnavailableMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (JwtStoreUnavailable.IsMarked(context))
        {
            JwtStoreUnavailable.Write(context.Response);
            return Task.CompletedTask;
        }

        return next(context);
    }
}
