using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>The context of <see cref="SessionAuthenticationEvents.OnSigningIn"/>.</summary>
public sealed class SessionSigningInContext : PrincipalContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public SessionSigningInContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, ClaimsPrincipal principal, AuthenticationProperties? properties, CookieOptions cookieOptions, IDictionary<string, string> metadata)
        : base(context, scheme, options, properties)
    {
        ArgumentNullException.ThrowIfNull(cookieOptions);
        ArgumentNullException.ThrowIfNull(metadata);
        Principal = principal;
        CookieOptions = cookieOptions;
        Metadata = metadata;
    }

    /// <summary>The options of the cookie about to be written (for example its expiry for a persistent sign-in).</summary>
    public CookieOptions CookieOptions { get; set; }

    /// <summary>
    /// The metadata the new session's record will carry (<see cref="SessionRecord.Metadata"/>, shown through
    /// <see cref="SessionInfo"/>): filled with the device (<c>browser</c>, <c>os</c>) parsed from the <c>User-Agent</c>. Add
    /// entries, or remove them to store less. Never put secrets here: metadata is listed on "your devices" pages.
    /// </summary>
    public IDictionary<string, string> Metadata { get; }
}
