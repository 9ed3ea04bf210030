using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>The context of <see cref="SessionAuthenticationEvents.OnSigningIn"/>.</summary>
public sealed class SessionSigningInContext : PrincipalContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public SessionSigningInContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, ClaimsPrincipal principal, AuthenticationProperties? properties, CookieOptions cookieOptions)
        : base(context, scheme, options, properties)
    {
        ArgumentNullException.ThrowIfNull(cookieOptions);
        Principal = principal;
        CookieOptions = cookieOptions;
    }

    /// <summary>The options of the cookie about to be written (for example its expiry for a persistent sign-in).</summary>
    public CookieOptions CookieOptions { get; set; }
}
