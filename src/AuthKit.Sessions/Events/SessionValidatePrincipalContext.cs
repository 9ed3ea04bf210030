using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>The context of <see cref="SessionAuthenticationEvents.OnValidatePrincipal"/>.</summary>
public sealed class SessionValidatePrincipalContext : PrincipalContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public SessionValidatePrincipalContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, AuthenticationTicket ticket, SessionRecord record)
        : base(context, scheme, options, ticket?.Properties)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(record);
        Principal = ticket.Principal;
        Record = record;
    }

    /// <summary>The session record as read from the store.</summary>
    public SessionRecord Record { get; }

    /// <summary>The session's handle: non-secret (the hexadecimal <see cref="SessionKey"/>), as listed by <see cref="ISessionManager"/>.</summary>
    public string SessionHandle => Record.Key.ToString();

    /// <summary>Whether <see cref="ReplacePrincipal"/> was called: the new principal is stored with the session.</summary>
    public bool PrincipalReplaced { get; private set; }

    /// <summary>Replaces the principal for this request and stores it with the session.</summary>
    public void ReplacePrincipal(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        Principal = principal;
        PrincipalReplaced = true;
    }

    /// <summary>Rejects the principal: the session is removed, its cookie expired, and the request is anonymous.</summary>
    public void RejectPrincipal() => Principal = null;
}
