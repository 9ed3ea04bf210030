using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>
/// Where the AuthKit policy forwards when no AuthKit scheme applies: never authenticates; 401 on challenge, 403 on forbid.
/// Sign-in and sign-out land here when no session scheme is registered, and fail with a message that says what to add.
/// </summary>
internal sealed class AuthKitNoneHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationSignInHandler
{
    internal const string NoSessionsMessage =
        "Signing in and out needs a session scheme, and none is registered: add the AuthKit.Sessions package and call .AddSessions() " +
        "(builder.Services.AddAuthKit().AddSessions()), or name the scheme that signs users in.";

    public Task SignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties) => throw new InvalidOperationException(NoSessionsMessage);

    public Task SignOutAsync(AuthenticationProperties? properties) => throw new InvalidOperationException(NoSessionsMessage);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
}
