using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>The context of <see cref="SessionAuthenticationEvents.OnSigningOut"/>.</summary>
public sealed class SessionSigningOutContext : PropertiesContext<SessionAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public SessionSigningOutContext(HttpContext context, AuthenticationScheme scheme, SessionAuthenticationOptions options, AuthenticationProperties? properties, SessionRecord? record)
        : base(context, scheme, options, properties)
    {
        Record = record;
    }

    /// <summary>The session about to be removed, or <see langword="null"/> when the request had none.</summary>
    public SessionRecord? Record { get; }
}
