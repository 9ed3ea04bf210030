using AuthKit.Jwt;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Samples;

/// <summary>The JWT API: token issue, refresh and revoke, a protected resource, and the public keys.</summary>
internal static class ApiEndpoints
{
    public static void MapApi(this IEndpointRouteBuilder app)
    {
        // POST /api/token issues; AuthKit.Jwt maps POST /api/token/refresh and POST /api/token/revoke beside it.
        app.MapPost("/api/token", IssueAsync).DisableAntiforgery();
        app.MapAuthKitTokenEndpoints("/api/token");
        app.MapAuthKitJwks();

        app.MapGet("/api/orders", Orders)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    }

    /// <summary>A resource-owner password grant, kept small: JSON <c>{"username","password"}</c> or the same as a form.</summary>
    private static async Task<IResult> IssueAsync(HttpContext context, DemoUserDirectory users, ITokenService tokens, TimeProvider time, ICredentialThrottle throttle)
    {
        string? userName;
        string? password;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            (userName, password) = (form["username"], form["password"]);
        }
        else
        {
            TokenRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync(SampleJsonContext.Default.TokenRequest, context.RequestAborted);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                request = null;
            }

            (userName, password) = (request?.Username, request?.Password);
        }

        context.Response.Headers[HeaderNames.CacheControl] = "no-store";

        // The same throttle as the login form and Basic: one budget per user name, client and known client, across instances.
        await using var attempt = await throttle.TryAcquireAsync(userName ?? "", context, context.RequestAborted);
        if (!attempt.IsAcquired)
        {
            attempt.Status.ApplyTo(context.Response);
            return Results.Json(new TokenError("slow_down"), SampleJsonContext.Default.TokenError, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var principal = users.Validate(userName, password, JwtAuthenticationDefaults.AuthenticationScheme);
        if (principal is null)
        {
            await attempt.RecordFailureAsync(CancellationToken.None);
            return Results.Json(new TokenError("invalid_grant"), SampleJsonContext.Default.TokenError, statusCode: StatusCodes.Status400BadRequest);
        }

        await attempt.RecordSuccessAsync(CancellationToken.None);

        var issued = await tokens.IssueAsync(principal, new TokenIssueOptions { IncludeRefreshToken = true }, context.RequestAborted);
        var expiresIn = (long)Math.Max(0, (issued.AccessTokenExpiresAt - time.GetUtcNow()).TotalSeconds);
        return Results.Json(new TokenResponse(issued.AccessToken, issued.TokenType, expiresIn, issued.RefreshToken), SampleJsonContext.Default.TokenResponse);
    }

    private static IResult Orders(HttpContext context, IOptions<SampleOptions> sample)
    {
        var user = context.User.Identity?.Name ?? "?";
        Order[] orders =
        [
            new("A-1001", "Coffee beans, 1 kg", 18.50m),
            new("A-1002", "Tea sampler", 12.00m),
        ];
        return Results.Json(new OrdersResponse(user, sample.Value.InstanceName, orders), SampleJsonContext.Default.OrdersResponse);
    }
}
