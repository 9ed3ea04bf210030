using System.Security.Claims;
using AuthKit.Basic;
using AuthKit.Jwt;
using AuthKit.Sessions;
using Microsoft.Extensions.Options;

namespace AuthKit.Samples.Aot;

/// <summary>What the smoke test drives: sign in, read the session, Basic, a token and its refresh, sign out.</summary>
internal static class SmokeEndpoints
{
    private const string VisitsKey = "visits";

    public static void MapSmokeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/login", SignInAsync);
        app.MapGet("/session", ReadSession).RequireAuthorization();
        app.MapPost("/logout", SignOutAsync);
        app.MapGet("/basic", Me).RequireAuthorization(p => p.AddAuthenticationSchemes(BasicAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        app.MapPost("/token", IssueAsync);
        app.MapAuthKitTokenEndpoints("/token");
        app.MapAuthKitJwks();
        app.MapGet("/api", Me).RequireAuthorization(p => p.AddAuthenticationSchemes(JwtAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    }

    private static async Task<IResult> SignInAsync(Credentials credentials, HttpContext context, Users users, ISessionManager sessions)
    {
        var principal = users.Validate(credentials, SessionAuthenticationDefaults.AuthenticationScheme);
        if (principal is null)
        {
            return Results.Unauthorized();
        }

        await sessions.SignInAsync(context, principal);
        return Results.Json(new Identity(principal.Identity!.Name!, sessions.GetCurrentSessionHandle(context)), SmokeJsonContext.Default.Identity);
    }

    private static IResult ReadSession(HttpContext context, ISessionManager sessions)
    {
        var visits = (context.Session.GetInt32(VisitsKey) ?? 0) + 1;
        context.Session.SetInt32(VisitsKey, visits);
        return Results.Json(new SessionView(context.User.Identity!.Name!, sessions.GetCurrentSessionHandle(context), visits), SmokeJsonContext.Default.SessionView);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ISessionManager sessions)
    {
        await sessions.SignOutAsync(context);
        return Results.NoContent();
    }

    private static IResult Me(ClaimsPrincipal user)
        => Results.Json(new Identity(user.Identity!.Name!, null), SmokeJsonContext.Default.Identity);

    private static async Task<IResult> IssueAsync(Credentials credentials, HttpContext context, Users users, ITokenService tokens, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        var principal = users.Validate(credentials, JwtAuthenticationDefaults.AuthenticationScheme);
        if (principal is null)
        {
            return Results.Json(new TokenError("invalid_grant"), SmokeJsonContext.Default.TokenError, statusCode: StatusCodes.Status400BadRequest);
        }

        var issued = await tokens.IssueAsync(principal, new TokenIssueOptions { IncludeRefreshToken = true }, context.RequestAborted);
        var expiresIn = (long)Math.Max(0, (issued.AccessTokenExpiresAt - time.GetUtcNow()).TotalSeconds);
        return Results.Json(new TokenResponse(issued.AccessToken, issued.TokenType, expiresIn, issued.RefreshToken), SmokeJsonContext.Default.TokenResponse);
    }
}

/// <summary>The Basic user table (<c>AuthKit:Basic:Users</c>) doubles as the sign-in table of the session and token endpoints.</summary>
internal sealed class Users(IOptions<BasicUserTableOptions> table, IAuthKitPasswordHasher hasher)
{
    public ClaimsPrincipal? Validate(Credentials credentials, string authenticationType)
    {
        if (string.IsNullOrEmpty(credentials.Username) || string.IsNullOrEmpty(credentials.Password)
            || !table.Value.Users.TryGetValue(credentials.Username, out var hash)
            || hasher.VerifyPassword(hash, credentials.Password) == PasswordVerificationOutcome.Failed)
        {
            return null;
        }

        var name = credentials.Username;
        Claim[] claims = [new(ClaimTypes.NameIdentifier, name), new(ClaimTypes.Name, name)];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}
