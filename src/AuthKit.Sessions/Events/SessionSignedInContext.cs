using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>The context of <see cref="SessionAuthenticationEvents.OnSignedIn"/>.</summary>
public sealed class SessionSignedInContext : PrincipalContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public SessionSignedInContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, ClaimsPrincipal principal, AuthenticationProperties? properties, SessionRecord record)
        : base(context, scheme, options, properties)
    {
        ArgumentNullException.ThrowIfNull(record);
        Principal = principal;
        Record = record;
    }

    /// <summary>The new session's record as stored.</summary>
    public SessionRecord Record { get; }

    /// <summary>The new session's handle: non-secret (the hexadecimal <see cref="SessionKey"/>), safe to show and log.</summary>
    public string SessionHandle => Record.Key.ToString();
}
